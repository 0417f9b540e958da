package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.audio.AudioDecodeException.Reason;
import org.rhythmsearch.audio.AudioDecoder.Damage;
import org.rhythmsearch.testing.Fixtures;
import org.rhythmsearch.testing.Signals;

/** The streaming decoder: the same samples as a whole-file load, bounded state, tolerant of damage. */
class AudioStreamTest {

  @TempDir Path tmp;

  /** Reads a whole stream in reads of {@code chunk} samples. */
  static float[] readAll(AudioStream in, int chunk) throws AudioDecodeException {
    float[] all = new float[1024];
    int n = 0;
    float[] buf = new float[chunk];
    for (int r; (r = in.read(buf, 0, chunk)) >= 0; ) {
      if (n + r > all.length) {
        all = Arrays.copyOf(all, Math.max(2 * all.length, n + r));
      }
      System.arraycopy(buf, 0, all, n, r);
      n += r;
    }
    return Arrays.copyOf(all, n);
  }

  @ParameterizedTest(name = "{0} Hz, reads of {1}")
  @CsvSource({"44100, 4096", "48000, 1000", "22050, 65536", "8000, 777", "96000, 100000", "44100, 1"})
  void streamedSamplesEqualAWholeLoadExactly(int rate, int chunk) throws IOException {
    Path wav = tmp.resolve("t" + rate + ".wav");
    Signals.writeWav16(wav, rate, Signals.clickTrack(120, 3.3, rate, 0.5, 7));
    float[] whole = new AudioLoader().load(wav).samples();
    try (AudioStream in = AudioStream.open(wav, AudioLoader.DEFAULT_SAMPLE_RATE, 3600)) {
      float[] streamed = readAll(in, chunk);
      assertThat(streamed).isEqualTo(whole);
      assertThat(in.damage()).isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"click120.mp3", "click120.ogg", "click120.flac", "click120.opus"})
  void compressedFormatsStreamAsTheyLoad(String name) throws IOException {
    Path f = Fixtures.resource(name);
    float[] whole = new AudioLoader().load(f).samples();
    try (AudioStream in = AudioStream.open(f, AudioLoader.DEFAULT_SAMPLE_RATE, 3600)) {
      assertThat(readAll(in, 10_000)).isEqualTo(whole);
      assertThat(in.damage()).isNull();
    }
  }

  @ParameterizedTest(name = "{0} cut at half")
  @ValueSource(strings = {"click120.mp3", "click120.ogg", "click120.flac", "click120.wav"})
  void aBadlyTruncatedFileStreamsUpToTheDamageAndSaysSo(String name) throws IOException {
    Path src = name.endsWith(".wav") ? Fixtures.click120(tmp.resolve(name)) : Fixtures.resource(name);
    Path cut = Fixtures.truncatedCopy(src, tmp.resolve("cut-" + name), 0.5);
    // the strict whole-file decode refuses it ...
    assertThat(catchThrowableOfType(AudioDecodeException.class, () -> AudioDecoder.decode(cut)).reason())
        .isEqualTo(Reason.TRUNCATED);
    // ... the stream gives what is there and names the damage
    try (AudioStream in = AudioStream.open(cut, AudioLoader.DEFAULT_SAMPLE_RATE, 3600)) {
      float[] got = readAll(in, 4096);
      double seconds = got.length / (double) AudioLoader.DEFAULT_SAMPLE_RATE;
      assertThat(seconds).isBetween(3.0, 6.0); // about half of the 11-s track
      Damage d = in.damage();
      assertThat(d).isNotNull();
      assertThat(d.minor()).isFalse();
      assertThat(d.reason()).isNotBlank().doesNotContain("\n");
    }
  }

  @Test
  void aStreamSlightlyShortOfItsDeclaredLengthIsMinorDamage() throws IOException {
    Path wav = Fixtures.click120(tmp.resolve("full.wav"));
    Path cut = Fixtures.truncatedCopy(wav, tmp.resolve("short.wav"), 0.97); // 0.33 s short of 11 s
    try (AudioStream in = AudioStream.open(cut, AudioLoader.DEFAULT_SAMPLE_RATE, 3600)) {
      readAll(in, 4096);
      Damage d = in.damage();
      assertThat(d).isNotNull();
      assertThat(d.minor()).isTrue();
      assertThat(d.reason()).startsWith("decoded 10.6").endsWith("of the 11.00 s its header declares");
    }
  }

  @Test
  void aTrackLongerThanTheMaximumIsRefusedWhenItRunsPastIt() throws IOException {
    Path wav = Fixtures.click120(tmp.resolve("full.wav"));
    try (AudioStream in = AudioStream.open(wav, AudioLoader.DEFAULT_SAMPLE_RATE, 5)) {
      AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> readAll(in, 4096));
      assertThat(e.reason()).isEqualTo(Reason.TOO_LONG);
      assertThat(e.getMessage()).isEqualTo(wav + ": longer than the maximum track length (it runs past 0:00:05; "
          + "the maximum is 0:00:05 (raise it with --max-duration))");
    }
  }

  @Test
  void aTrackOfUnknownLengthIsRefusedWhenItRunsPastTheMaximum() throws IOException {
    Path wav = Fixtures.click120(tmp.resolve("full.wav"));
    Path streamed = LyingHeaderTest.streamedWav(wav, tmp.resolve("streamed.wav")); // data size 0xFFFFFFFF
    try (AudioStream in = AudioStream.open(streamed, AudioLoader.DEFAULT_SAMPLE_RATE, 5)) {
      AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> readAll(in, 4096));
      assertThat(e.reason()).isEqualTo(Reason.TOO_LONG);
      assertThat(e.getMessage()).contains("it runs past 0:00:05");
    }
  }
}
