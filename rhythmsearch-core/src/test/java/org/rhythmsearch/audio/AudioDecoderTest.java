package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.testing.Fixtures;
import org.rhythmsearch.testing.Signals;

/** Decoding every supported format and PCM layout, against the signal the files were made from. */
class AudioDecoderTest {

  @TempDir static Path tmp;
  static float[] source; // mono mix of the fixture source: (L + 0.8 L) / 2
  static PcmAudio wav;

  @BeforeAll
  static void makeSource() throws IOException {
    wav = AudioDecoder.decode(Fixtures.click120(tmp.resolve("click120.wav")));
    float[] left = Fixtures.click120Left();
    source = new float[left.length];
    for (int i = 0; i < left.length; i++) {
      source[i] = 0.9f * left[i];
    }
  }

  /** Lag (samples) of {@code b} against {@code a} maximising their correlation, searched in ±range. */
  static int bestLag(float[] a, float[] b, int range) {
    int best = 0;
    double bestC = Double.NEGATIVE_INFINITY;
    for (int lag = -range; lag <= range; lag++) {
      double c = 0;
      for (int k = range; k + range < Math.min(a.length, b.length); k += 3) {
        c += a[k] * b[k + lag];
      }
      if (c > bestC) {
        bestC = c;
        best = lag;
      }
    }
    return best;
  }

  @Test
  void wavDecodesToTheAverageOfItsChannels() {
    assertThat(wav.sampleRate()).isEqualTo(44100);
    assertThat(wav.length()).isEqualTo(source.length);
    for (int i = 0; i < source.length; i += 7) {
      assertThat(wav.samples()[i]).isCloseTo(source[i], within(1.5e-4f));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"click120.flac, 0.0002, 0.9999", "click120.mp3, 0.3, 0.98", "click120.ogg, 0.2, 0.97"})
  void compressedFormatsAlignWithTheWavTheyWereMadeFrom(String name, float maxError, double minCorrelation)
      throws IOException {
    PcmAudio decoded = AudioDecoder.decode(Fixtures.resource(name));
    assertThat(decoded.sampleRate()).isEqualTo(44100);
    assertThat(decoded.length()).as("length in samples").isCloseTo(wav.length(), within(44));
    // aligned within 1 ms (44 samples); in practice exactly
    assertThat(bestLag(wav.samples(), decoded.samples(), 2400)).as("lag against the WAV").isBetween(-44, 44);
    assertThat(Signals.cosine(java.util.Arrays.copyOf(wav.samples(), 400000),
        java.util.Arrays.copyOf(decoded.samples(), 400000))).isGreaterThan(minCorrelation);
    for (int i = 0; i < Math.min(decoded.length(), wav.length()); i += 11) {
      assertThat(Math.abs(decoded.samples()[i] - wav.samples()[i])).isLessThanOrEqualTo(maxError);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"click120.flac", "click120.mp3", "click120.ogg"})
  void headersDeclareTheDuration(String name) throws IOException {
    AudioInfo info = AudioDecoder.probe(Fixtures.resource(name));
    assertThat(info.sampleRate()).isEqualTo(44100);
    assertThat(info.channels()).isEqualTo(2);
    assertThat(info.hasDuration()).isTrue();
    assertThat(info.durationSeconds()).isCloseTo(11.0, within(0.01));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"click120.flac", "click120.mp3", "click120.ogg"})
  void aTimeRangeEqualsTheSameRangeOfTheWholeFile(String name) throws IOException {
    Path file = Fixtures.resource(name);
    PcmAudio whole = AudioDecoder.decode(file);
    PcmAudio part = AudioDecoder.decode(file, 3.25, 2.0);
    assertThat(part.length()).isEqualTo(88200);
    int first = (int) Math.round(3.25 * 44100);
    for (int i = 0; i < part.length(); i++) {
      assertThat(part.samples()[i]).isEqualTo(whole.samples()[first + i]);
    }
    PcmAudio tail = AudioDecoder.decode(file, 10.5, 5);
    assertThat((double) tail.length()).as("a range past the end is cut at the end").isCloseTo(whole.length() - 10.5 * 44100, within(1.0));
  }

  @ParameterizedTest(name = "{0}-bit {1} channels float={2}")
  @CsvSource({"8, 1, false", "16, 1, false", "16, 2, false", "24, 2, false", "32, 3, false", "32, 2, true",
      "16, 6, false", "24, 8, false"})
  void pcmLayoutsMixToTheAverageOfTheChannels(int bits, int channels, boolean floating) throws IOException {
    int rate = 16000;
    float[][] ch = Signals.tones(channels, rate);
    float[] expected = Signals.channelMean(ch);
    Path file = tmp.resolve("layout-" + bits + "-" + channels + "-" + floating + ".wav");
    Signals.writeWav(file, rate, bits, floating, ch);
    PcmAudio pcm = AudioDecoder.decode(file);
    assertThat(pcm.sampleRate()).isEqualTo(rate);
    assertThat(pcm.length()).isEqualTo(rate);
    float tolerance = bits == 8 ? 0.01f : 1e-4f;
    for (int i = 0; i < rate; i++) {
      assertThat(pcm.samples()[i]).as("sample %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }

  @Test
  void opusDecodesAt48kHzWithPreSkipAndEndTrimmedAndAlignsWithTheWav() throws IOException {
    Path opus = Fixtures.resource("click120.opus");
    AudioInfo info = AudioDecoder.probe(opus);
    assertThat(info.container()).isEqualTo(Container.OGG_OPUS);
    assertThat(info.sampleRate()).isEqualTo(48000);
    assertThat(info.channels()).isEqualTo(2);
    assertThat(info.durationSeconds()).as("granule of the last page minus pre-skip").isCloseTo(11.0, within(1e-6));
    PcmAudio decoded = AudioDecoder.decode(opus);
    assertThat(decoded.sampleRate()).isEqualTo(48000);
    assertThat(decoded.length()).as("exactly 11 s: pre-skip dropped, end trimmed").isEqualTo(11 * 48000);
    // both at 22050 Hz through the same resampler: aligned and alike, sample by sample
    AudioLoader loader = new AudioLoader();
    float[] a = loader.load(tmp.resolve("click120.wav")).samples();
    float[] b = loader.load(opus).samples();
    assertThat(b.length).isEqualTo(a.length);
    assertThat(bestLag(a, b, 1200)).as("lag against the WAV, samples at 22050 Hz").isBetween(-1, 1);
    assertThat(Signals.cosine(a, b)).isGreaterThan(0.97);
    double err = 0;
    for (int i = 0; i < a.length; i++) {
      err = Math.max(err, Math.abs(a[i] - b[i]));
    }
    assertThat(err).as("largest sample error").isLessThan(0.25);
  }

  @Test
  void anOpusTimeRangeEqualsTheSameRangeOfTheWholeFile() throws IOException {
    Path file = Fixtures.resource("click120.opus");
    PcmAudio whole = AudioDecoder.decode(file);
    PcmAudio part = AudioDecoder.decode(file, 3.25, 2.0);
    assertThat(part.length()).isEqualTo(96000);
    int first = (int) Math.round(3.25 * 48000);
    for (int i = 0; i < part.length(); i++) {
      assertThat(part.samples()[i]).isEqualTo(whole.samples()[first + i]);
    }
  }

  @Test
  void loaderResamplesTheFixturesTo22050Hz() throws IOException {
    AudioLoader loader = new AudioLoader();
    PcmAudio a = loader.load(Fixtures.resource("click120.flac"));
    assertThat(a.sampleRate()).isEqualTo(22050);
    assertThat(a.length()).isEqualTo(11 * 22050);
    PcmAudio range = loader.load(Fixtures.resource("click120.flac"), 2.5, 4);
    assertThat(range.length()).isEqualTo(4 * 22050);
    int first = (int) Math.round(2.5 * 22050);
    for (int i = 0; i < range.length(); i++) {
      assertThat(range.samples()[i]).as("sample %d", i).isCloseTo(a.samples()[first + i], within(1e-6f));
    }
  }
}
