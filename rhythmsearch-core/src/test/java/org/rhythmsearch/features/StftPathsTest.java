package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The SIMD (Vector API) and scalar (JTransforms) STFT paths compute the same mel spectrogram. */
class StftPathsTest {

  @Test
  void theTestJvmRunsTheSimdPath() {
    // surefire passes --add-modules jdk.incubator.vector, as bin/rhythmsearch does
    assertThat(new Stft(2048, 512).vectorized()).isTrue();
    assertThat(new Stft(2048, 512, false).vectorized()).isFalse();
  }

  @ParameterizedTest(name = "{0} samples")
  @ValueSource(ints = {1, 511, 512, 2048, 8191, 16 * 512 * 3, 220500, 100_003})
  void simdAndScalarPathsAgree(int samples) {
    SplittableRandom rnd = new SplittableRandom(samples);
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) ((rnd.nextDouble() - 0.5) * (i % 3000 < 300 ? 1 : 0.01));
    }
    MelFilterbank bank = new MelFilterbank(22050, 2048, 128);
    MelSpectrogram simd = new Stft(2048, 512, true).melPower(x, 22050, bank);
    MelSpectrogram scalar = new Stft(2048, 512, false).melPower(x, 22050, bank);
    assertThat(simd.frames()).isEqualTo(scalar.frames()).isEqualTo(1 + samples / 512);
    double max = 0;
    double err = 0;
    for (int i = 0; i < scalar.data().length; i++) {
      max = Math.max(max, Math.abs(scalar.data()[i]));
      err = Math.max(err, Math.abs(simd.data()[i] - scalar.data()[i]));
    }
    assertThat(err / max).as("max abs difference / max value").isLessThan(1e-5);
  }

  @Test
  void bothPathsAreLibrosaConformant() throws Exception {
    double[] signal = MelConformanceTest.readF64("signal-5s-22050.f64le");
    double[] ref = MelConformanceTest.readF64("melspectrogram-128xT.f64le");
    float[] y = new float[signal.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) signal[i];
    }
    for (boolean simd : new boolean[] {true, false}) {
      MelSpectrogram ours = new Stft(2048, 512, simd).melPower(y, 22050, new MelFilterbank(22050, 2048, 128));
      assertThat(MelConformanceTest.relativeError(ours, ref)).as("simd=%s", simd).isLessThan(1e-4);
    }
  }
}
