package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.audio.AudioDecodeException.Reason;
import org.rhythmsearch.testing.Fixtures;

/** Every kind of bad file gives one typed error naming the file and the reason. */
class BadInputTest {

  @TempDir Path tmp;

  static AudioDecodeException failure(Path file) {
    AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> AudioDecoder.decode(file));
    assertThat(e).as("decoding %s must fail", file).isNotNull();
    assertThat(e.getMessage()).startsWith(file.toString() + ": ").doesNotContain("\n");
    assertThat(e.file()).isEqualTo(file);
    return e;
  }

  @ParameterizedTest(name = "empty .{0}")
  @ValueSource(strings = {"wav", "mp3", "ogg", "flac"})
  void emptyFile(String ext) throws IOException {
    Path f = Files.createFile(tmp.resolve("empty." + ext));
    assertThat(failure(f).reason()).isEqualTo(Reason.EMPTY);
  }

  @ParameterizedTest(name = "truncated {0}")
  @ValueSource(strings = {"click120.mp3", "click120.ogg", "click120.flac"})
  void truncatedCompressedFile(String name) throws IOException {
    Path f = Fixtures.truncatedCopy(Fixtures.resource(name), tmp.resolve("cut-" + name), 0.5);
    AudioDecodeException e = failure(f);
    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e.getMessage()).contains("truncated");
  }

  @Test
  void truncatedWav() throws IOException {
    Path wav = Fixtures.click120(tmp.resolve("full.wav"));
    Path f = Fixtures.truncatedCopy(wav, tmp.resolve("cut.wav"), 0.5);
    assertThat(failure(f).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @ParameterizedTest(name = "random bytes as .{0}")
  @ValueSource(strings = {"wav", "mp3", "ogg", "flac", "aiff", "au"})
  void randomBytesWithAnAudioExtension(String ext) throws IOException {
    byte[] junk = new byte[50_000];
    new SplittableRandom(ext.hashCode()).nextBytes(junk);
    junk[0] = 0x12; // not an ID3/MPEG sync by chance
    Path f = Files.write(tmp.resolve("junk." + ext), junk);
    assertThat(failure(f).reason()).isEqualTo(Reason.NOT_AUDIO);
  }

  @Test
  void textFileNamedMp3() throws IOException {
    Path f = Files.writeString(tmp.resolve("notes.mp3"), "this is not audio\n".repeat(100));
    assertThat(failure(f).reason()).isEqualTo(Reason.NOT_AUDIO);
  }

  @Test
  void aTruncatedOpusStreamIsReportedTruncated() {
    AudioDecodeException e = failure(Fixtures.resource("opus-header.ogg"));
    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e.getMessage()).contains("Ogg Opus").contains("no end-of-stream page");
  }

  @Test
  void opusWithAnUnknownHeaderVersionIsAnUnsupportedCodec() throws IOException {
    byte[] b = Files.readAllBytes(Fixtures.resource("click120.opus"));
    int head = 27 + (b[26] & 0xFF);
    b[head + 8] = 0x10; // major version 1
    Path f = Files.write(tmp.resolve("v1.opus"), b);
    AudioDecodeException e = failure(f);
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_CODEC);
    assertThat(e.getMessage()).contains("Opus header version 16");
  }

  @Test
  void adpcmWavIsAnUnsupportedCodec() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(44 + 1000).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + 1000).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 0x11).putShort((short) 1).putInt(22050)
        .putInt(11100).putShort((short) 512).putShort((short) 4);
    b.put("data".getBytes()).putInt(1000);
    Path f = Files.write(tmp.resolve("adpcm.wav"), b.array());
    AudioDecodeException e = failure(f);
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_CODEC);
    assertThat(e.getMessage()).contains("IMA ADPCM");
  }

  @Test
  void mp4ContainerIsAnUnsupportedCodec() throws IOException {
    byte[] m4a = new byte[4096];
    System.arraycopy("\0\0\0\u0020ftypM4A ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, m4a, 0, 12);
    Path f = Files.write(tmp.resolve("song.m4a.mp3"), m4a);
    assertThat(failure(f).reason()).isEqualTo(Reason.UNSUPPORTED_CODEC);
  }

  @Test
  void zeroLengthWavHasNoSamples() throws IOException {
    Path f = tmp.resolve("zero.wav");
    org.rhythmsearch.testing.Signals.writeWav16(f, 22050, new float[0]);
    assertThat(failure(f).reason()).isEqualTo(Reason.NO_SAMPLES);
  }

  @Test
  void missingFileIsUnreadable() {
    assertThat(failure(tmp.resolve("nope.ogg")).reason()).isEqualTo(Reason.UNREADABLE);
  }

  @Test
  void offsetPastTheEndIsOutOfRange() {
    AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class,
        () -> AudioDecoder.decode(Fixtures.resource("click120.ogg"), 60, 10));
    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
  }
}
