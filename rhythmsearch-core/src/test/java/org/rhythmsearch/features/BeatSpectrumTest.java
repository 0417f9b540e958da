package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.testing.Signals;

/** Beat spectra of synthetic drum tracks peak at the beat period; the fast and direct paths agree. */
class BeatSpectrumTest {

  private static final int SR = 22050;

  /** Local maxima of {@code b} at lags {@code >= 1}. */
  static java.util.List<Integer> peaks(float[] b) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int l = 1; l + 1 < b.length; l++) {
      if (b[l] > b[l - 1] && b[l] >= b[l + 1]) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * Oracle: a metronomic drum track repeats exactly every beat period P, so its beat spectrum must
   * peak at P and its multiples and nowhere else strongly, and the first strong peak must be P itself
   * (± 1 frame for the frame grid). Peaks at 2P, 3P … are as high in theory; which integer lag is
   * highest is decided by how P falls on the 512-sample frame grid, so "strongest" is checked as
   * "strongest peaks are all multiples of P, the first of them is P".
   */
  @ParameterizedTest(name = "{0} BPM, off-beat at {1} of the beat")
  @CsvSource({"90, 0", "120, 0", "150, 0", "90, 0.5", "120, 0.6667", "150, 0.5", "100, 0.6667", "132, 0"})
  void beatSpectrumPeaksAtTheBeatPeriod(double bpm, double offbeat) {
    for (FeatureConfig config : new FeatureConfig[] {FeatureConfigs.BEAT_SPECTRUM, FeatureConfigs.BEAT_SPECTRUM_DETRENDED}) {
      FeatureExtractor fx = new FeatureExtractor(config);
      float[] b = fx.rawDescriptor(Signals.clickTrack(bpm, 10, SR, offbeat, 42));
      double period = 60.0 / bpm * SR / 512;
      java.util.List<Integer> peaks = peaks(b);
      float top = 0;
      for (int l : peaks) {
        top = Math.max(top, b[l]);
      }
      java.util.List<Integer> strong = new java.util.ArrayList<>();
      for (int l : peaks) {
        if (b[l] >= 0.6f * top) {
          strong.add(l);
        }
      }
      String context = String.format("%s, %s BPM (period %.2f frames), strong peaks %s", config.name(), bpm, period, strong);
      assertThat((double) strong.get(0)).as("first strong peak; " + context).isCloseTo(period, within(1.0));
      for (int l : strong) {
        double multiple = Math.rint(l / period);
        assertThat(multiple).as("peak %d is a multiple of the period; %s", l, context).isGreaterThanOrEqualTo(1);
        assertThat(Math.abs(l - multiple * period)).as("peak %d off the beat grid; %s", l, context).isLessThanOrEqualTo(1.0);
      }
      assertThat(strong.size()).as(context).isGreaterThanOrEqualTo((int) (config.maxLagFrames() / period) - 1);
    }
  }

  @Test
  void fftPathEqualsTheExplicitSimilarityBand() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 20; trial++) {
      int frames = 2 + rnd.nextInt(500);
      int dims = 1 + rnd.nextInt(130);
      int maxLag = rnd.nextInt(frames);
      MelSpectrogram spec = randomSpectrogram(rnd, frames, dims);
      float[] unit = BeatSpectra.unitFrames(spec);
      float[] fast = new BeatSpectra().diagonalMean(unit, frames, dims, maxLag);
      float[] direct = BeatSpectra.diagonalMeanDirect(unit, frames, dims, maxLag);
      for (int l = 0; l <= maxLag; l++) {
        assertThat(fast[l]).as("trial %d lag %d (frames %d dims %d)", trial, l, frames, dims)
            .isCloseTo(direct[l], within(2e-4f));
      }
    }
  }

  @Test
  void autocorrelationEqualsFootesDoubleSumOnSmallMatrices() {
    // B(l) = sum_k sum_{i,j} S(i,j) S(i+k, j+l), k over all shifts, divided by N - l.
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 5; trial++) {
      int frames = 5 + rnd.nextInt(25);
      int dims = 1 + rnd.nextInt(6);
      int maxLag = rnd.nextInt(frames);
      float[] unit = BeatSpectra.unitFrames(randomSpectrogram(rnd, frames, dims));
      float[][] s = new float[frames][frames];
      for (int i = 0; i < frames; i++) {
        for (int j = 0; j < frames; j++) {
          for (int d = 0; d < dims; d++) {
            s[i][j] += unit[i * dims + d] * unit[j * dims + d];
          }
        }
      }
      float[] fast = new BeatSpectra().autocorrelation(unit, frames, dims, maxLag);
      for (int l = 0; l <= maxLag; l++) {
        double sum = 0;
        for (int k = -frames; k <= frames; k++) {
          for (int i = 0; i < frames; i++) {
            for (int j = 0; j < frames; j++) {
              int i2 = i + k;
              int j2 = j + l;
              if (i2 >= 0 && i2 < frames && j2 < frames) {
                sum += s[i][j] * s[i2][j2];
              }
            }
          }
        }
        assertThat((double) fast[l]).as("trial %d lag %d", trial, l)
            .isCloseTo(sum / (frames - l), within(1e-3 * Math.max(1, Math.abs(sum))));
      }
    }
  }

  @Test
  void detrendRemovesALinearTrendAwayFromTheEnds() {
    float[] x = new float[100];
    for (int i = 0; i < x.length; i++) {
      x[i] = 3 - 0.02f * i + (i % 10 == 0 ? 1 : 0);
    }
    float[] d = PostProcessing.detrend(x, 21);
    // a pulse train of period 10 plus a line: inside, the line is removed exactly, the pulses stay
    for (int i = 20; i < 80; i++) {
      float expected = (i % 10 == 0 ? 1 : 0) - 3f / 21; // 2 or 3 pulses in a 21-wide window
      if (i % 10 == 0) {
        assertThat(d[i]).as("lag %d", i).isCloseTo(expected, within(1e-4f));
      } else {
        assertThat(d[i]).as("lag %d", i).isLessThan(0.01f);
      }
    }
  }

  static MelSpectrogram randomSpectrogram(SplittableRandom rnd, int frames, int dims) {
    float[] data = new float[frames * dims];
    for (int i = 0; i < data.length; i++) {
      data[i] = rnd.nextInt(10) == 0 ? 0f : (float) rnd.nextDouble();
    }
    return new MelSpectrogram(data, frames, dims, 43.07);
  }
}
