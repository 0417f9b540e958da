package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Conformance with librosa 0.11 (outputs in src/test/resources/reference, copied from
 * shared/reference; README.json there defines the signal and the calls).
 */
class MelConformanceTest {

  static double[] readF64(String name) throws IOException {
    try (InputStream in = MelConformanceTest.class.getResourceAsStream("/reference/" + name)) {
      assertThat(in).as("reference file %s", name).isNotNull();
      ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      double[] out = new double[b.remaining() / 8];
      b.asDoubleBuffer().get(out);
      return out;
    }
  }

  @Test
  void filterbankMatchesLibrosa() throws IOException {
    double[] ref = readF64("mel-filterbank-128x1025.f64le");
    double[][] ours = MelFilterbank.dense(22050, 2048, 128);
    double max = 0;
    double err = 0;
    for (int m = 0; m < 128; m++) {
      for (int k = 0; k < 1025; k++) {
        double r = ref[m * 1025 + k];
        max = Math.max(max, Math.abs(r));
        err = Math.max(err, Math.abs(ours[m][k] - r));
      }
    }
    assertThat(err / max).as("max abs error / max value").isLessThan(1e-4);
  }

  @Test
  void sparseFloatFilterbankAppliesTheSameWeights() {
    double[][] dense = MelFilterbank.dense(22050, 2048, 128);
    MelFilterbank bank = new MelFilterbank(22050, 2048, 128);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    float[] power = new float[1025];
    for (int k = 0; k < power.length; k++) {
      power[k] = (float) rnd.nextDouble();
    }
    float[] out = new float[128];
    bank.apply(power, out, 0);
    for (int m = 0; m < 128; m++) {
      double expected = 0;
      for (int k = 0; k < 1025; k++) {
        expected += dense[m][k] * power[k];
      }
      assertThat((double) out[m]).as("band %d", m).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-5 * Math.abs(expected) + 1e-9));
    }
  }

  @Test
  void melSpectrogramOfTheReferenceSignalMatchesLibrosa() throws IOException {
    double[] signal = readF64("signal-5s-22050.f64le");
    double[] ref = readF64("melspectrogram-128xT.f64le"); // 128 x 216, row-major (band, frame)
    float[] y = new float[signal.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) signal[i];
    }
    MelSpectrogram ours = new Stft(2048, 512).melPower(y, 22050, new MelFilterbank(22050, 2048, 128));
    assertThat(ours.frames()).isEqualTo(ref.length / 128);
    assertThat(relativeError(ours, ref)).as("max abs error / max value").isLessThan(1e-4);
  }

  /** Max abs error / max value of a mel spectrogram against a librosa (band, frame) row-major array. */
  static double relativeError(MelSpectrogram ours, double[] ref) {
    int frames = ref.length / 128;
    double max = 0;
    double err = 0;
    for (int m = 0; m < 128; m++) {
      for (int t = 0; t < frames; t++) {
        double r = ref[m * frames + t];
        max = Math.max(max, Math.abs(r));
        err = Math.max(err, Math.abs(ours.get(t, m) - r));
      }
    }
    return err / max;
  }

  @Test
  void aToneLandsInTheMelBandAroundItsFrequency() {
    // 1 kHz is 15 mels on the Slaney scale; band m is centred on mel (m + 1) * melMax / 129
    float[] tone = org.rhythmsearch.testing.Signals.tone(1000, 0.5, 22050, 22050);
    MelSpectrogram s = new Stft(2048, 512).melPower(tone, 22050, new MelFilterbank(22050, 2048, 128));
    int t = s.frames() / 2;
    int best = 0;
    for (int m = 1; m < 128; m++) {
      if (s.get(t, m) > s.get(t, best)) {
        best = m;
      }
    }
    double melMax = MelFilterbank.hzToMel(11025);
    double centre = MelFilterbank.melToHz((best + 1) * melMax / 129);
    assertThat(Math.abs(MelFilterbank.hzToMel(centre) - MelFilterbank.hzToMel(1000))).isLessThanOrEqualTo(melMax / 129);
  }
}
