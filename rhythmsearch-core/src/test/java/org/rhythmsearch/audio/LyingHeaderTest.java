package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.testing.Fixtures;
import org.rhythmsearch.testing.Signals;

/**
 * Issue 12, finding 4: a header that claims more audio than the file holds must not make the decoder
 * allocate it (before the fix these ran out of memory): a streamed WAV (sizes 0xFFFFFFFF, as {@code
 * ffmpeg -f wav -} writes) and an AIFF claiming 0x7fffffff frames decode what they hold; a FLAC whose
 * STREAMINFO claims 2^36 − 1 samples is one clear error naming the file.
 */
class LyingHeaderTest {

  @TempDir Path tmp;

  static int indexOf(byte[] b, String tag) {
    for (int i = 0; i + 4 <= b.length; i++) {
      if (b[i] == tag.charAt(0) && b[i + 1] == tag.charAt(1) && b[i + 2] == tag.charAt(2) && b[i + 3] == tag.charAt(3)) {
        return i;
      }
    }
    throw new AssertionError("no " + tag);
  }

  static void putInt(byte[] b, int at, int v) {
    for (int k = 0; k < 4; k++) {
      b[at + k] = (byte) (v >>> (8 * k));
    }
  }

  /** A copy of {@code wav} as a streaming writer leaves it: RIFF and data sizes 0xFFFFFFFF. */
  static Path streamedWav(Path wav, Path out) throws IOException {
    byte[] b = Files.readAllBytes(wav);
    putInt(b, 4, 0xFFFFFFFF); // RIFF size
    putInt(b, indexOf(b, "data") + 4, 0xFFFFFFFF); // data size
    return Files.write(out, b);
  }

  @Test
  void aStreamedWavWithSizes0xFfffffffDecodesWhole() throws IOException {
    Path wav = tmp.resolve("stream.wav");
    float[] signal = Signals.clickTrack(120, 3, 22050, 0, 7);
    Signals.writeWav16(wav, 22050, signal);
    Path streamed = streamedWav(wav, tmp.resolve("streamed.wav"));
    PcmAudio pcm = AudioDecoder.decode(streamed);
    assertThat(pcm.length()).isEqualTo(signal.length);
    assertThat(pcm.samples()).isEqualTo(AudioDecoder.decode(wav).samples());
    assertThat(AudioDecoder.probe(streamed).hasDuration()).as("the header's length is not believed").isFalse();
  }

  @Test
  void aFlacClaimingAllOnesTotalSamplesIsOneClearError() throws IOException {
    byte[] b = Files.readAllBytes(Fixtures.resource("click120.flac"));
    assertThat(new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("fLaC");
    // STREAMINFO from byte 8: the 36-bit total sample count ends at byte 25
    b[21] |= 0x0F;
    for (int i = 22; i <= 25; i++) {
      b[i] = (byte) 0xFF;
    }
    Path lying = Files.write(tmp.resolve("lying.flac"), b);
    assertThatThrownBy(() -> AudioDecoder.decode(lying))
        .isInstanceOf(AudioDecodeException.class)
        .hasMessageStartingWith(lying + ": truncated or corrupt stream (decoded 11.00 s of the");
    // streamed for indexing: the 11 s it holds, marked as badly damaged (the header is not believed)
    try (AudioStream in = AudioStream.open(lying, AudioLoader.DEFAULT_SAMPLE_RATE, 3600)) {
      assertThat(AudioStreamTest.readAll(in, 8192).length).isEqualTo(11 * AudioLoader.DEFAULT_SAMPLE_RATE);
      assertThat(in.damage().minor()).isFalse();
      assertThat(in.damage().reason()).startsWith("decoded 11.00 s of the 1558");
    }
  }

  @Test
  void anAiffClaiming0x7fffffffFramesDecodesWhatItHolds() throws IOException {
    Path wav = tmp.resolve("a.wav");
    Signals.writeWav16(wav, 22050, Signals.clickTrack(120, 2, 22050, 0, 3));
    Path aiff = tmp.resolve("a.aiff");
    try (var in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
      javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.AIFF, aiff.toFile());
    } catch (javax.sound.sampled.UnsupportedAudioFileException e) {
      throw new AssertionError(e);
    }
    byte[] b = Files.readAllBytes(aiff);
    int comm = indexOf(b, "COMM");
    // COMM: id, size (4), channels (2), frame count (4, big-endian)
    b[comm + 10] = 0x7f;
    b[comm + 11] = (byte) 0xff;
    b[comm + 12] = (byte) 0xff;
    b[comm + 13] = (byte) 0xff;
    Path lying = Files.write(tmp.resolve("lying.aiff"), b);
    // 0x7fffffff frames of 2 bytes is 4 GB of data in a file of 90 KB: the length is taken as unknown
    assertThat(AudioDecoder.probe(lying).hasDuration()).isFalse();
    assertThat(AudioDecoder.decode(lying).samples()).isEqualTo(AudioDecoder.decode(aiff).samples());
  }
}
