package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.testing.Signals;

/** Tone tests of the band-limited resampler: flat passband, rejected aliases, exact ranges. */
class ResamplerTest {

  private static final int OUT = 22050;

  /**
   * Amplitude of the component at {@code freq} in the middle of {@code y}, with a 4-term
   * Blackman-Harris window (sidelobes below -92 dB).
   */
  static double amplitude(float[] y, double freq, int rate) {
    int from = y.length / 8;
    int n = y.length - 2 * from;
    double re = 0;
    double im = 0;
    double wsum = 0;
    for (int i = 0; i < n; i++) {
      double x = 2 * Math.PI * i / (n - 1);
      double w = 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
      double ph = 2 * Math.PI * freq * (from + i) / rate;
      re += w * y[from + i] * Math.cos(ph);
      im += w * y[from + i] * Math.sin(ph);
      wsum += w;
    }
    return 2 * Math.hypot(re, im) / wsum;
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  @ParameterizedTest(name = "from {0} Hz")
  @ValueSource(ints = {44100, 48000, 32000, 96000, 88200})
  void passbandIsFlatTo9kHz(int from) {
    Resampler r = Resampler.create(from, OUT);
    for (double f : new double[] {50, 440, 1000, 3000, 6000, 8000, 9000}) {
      float[] out = r.resample(Signals.tone(f, 0.5, from, from));
      double gain = db(amplitude(out, f, OUT) / 0.5);
      assertThat(gain).as("gain at %.0f Hz from %d Hz", f, from).isCloseTo(0.0, within(0.5));
      assertThat(gain).as("ripple at %.0f Hz (designed < 0.001 dB)", f).isCloseTo(0.0, within(0.01));
    }
  }

  @ParameterizedTest(name = "from {0} Hz")
  @ValueSource(ints = {44100, 48000, 96000})
  void aliasesIntoThePassbandAreRejectedBy80dB(int from) {
    Resampler r = Resampler.create(from, OUT);
    // every tone between (22050 - 9000) Hz and the input's Nyquist would alias into 0-9 kHz
    for (double f = 13100; f < from / 2.0 - 100; f += from > 48000 ? 2900 : 700) {
      float[] out = r.resample(Signals.tone(f, 0.5, from, from));
      double alias = Math.abs(f - Math.rint(f / OUT) * OUT); // folded frequency in [0, 11025]
      double rejection = -db(amplitude(out, alias, OUT) / 0.5);
      assertThat(rejection).as("rejection of %.0f Hz (alias at %.0f Hz) from %d Hz", f, alias, from)
          .isGreaterThanOrEqualTo(80);
    }
  }

  @Test
  void halfBandPathEqualsTheGeneralPolyphasePath() {
    float[] x = noise(44100, 5);
    float[] fast = Resampler.create(44100, OUT).resample(x);
    float[] general = Resampler.createPolyphase(44100, OUT).resample(x);
    assertThat(fast).hasSameSizeAs(general);
    for (int i = 0; i < fast.length; i++) {
      assertThat(fast[i]).as("sample %d", i).isCloseTo(general[i], within(1e-5f));
    }
  }

  @ParameterizedTest(name = "from {0} Hz")
  @ValueSource(ints = {44100, 48000, 8000, 22050, 44056})
  void aRangeIsIdenticalToTheSameRangeOfTheWholeSignal(int from) {
    Resampler r = Resampler.create(from, OUT);
    float[] x = noise(from, 9);
    float[] whole = r.resample(x);
    long outStart = 12345;
    int count = 7000;
    long inFirst = outStart * from / OUT - r.supportInputSamples() - 2;
    long inLast = (outStart + count) * from / OUT + r.supportInputSamples() + 2;
    float[] span = java.util.Arrays.copyOfRange(x, (int) inFirst, (int) inLast);
    float[] part = r.process(span, inFirst, outStart, count);
    for (int i = 0; i < count; i++) {
      assertThat(part[i]).as("sample %d", i).isCloseTo(whole[(int) outStart + i], within(1e-6f));
    }
  }

  @Test
  void halfBandOnTheVectorApiGivesTheScalarLoopsFloatsBitForBit() {
    assertThat(Resampler.SIMD).as("the Vector API is on in tests").isTrue();
    Resampler r = Resampler.create(44_100, 22_050);
    SplittableRandom rnd = new SplittableRandom(17);
    for (int trial = 0; trial < 200; trial++) {
      int inLength = 1 + rnd.nextInt(3000);
      float[] in = new float[inLength + rnd.nextInt(5)];
      for (int i = 0; i < in.length; i++) {
        in[i] = (float) rnd.nextGaussian();
      }
      long inStart = rnd.nextInt(100_000);
      long outStart = inStart / 2 - 200 + rnd.nextInt(400); // ranges partly outside the input too
      int outCount = rnd.nextInt(1800);
      int outOff = rnd.nextInt(3);
      float[] simd = new float[outOff + outCount];
      float[] scalar = new float[outOff + outCount];
      r.process(in, inLength, inStart, outStart, simd, outOff, outCount, true);
      r.process(in, inLength, inStart, outStart, scalar, outOff, outCount, false);
      for (int m = 0; m < simd.length; m++) {
        assertThat(Float.floatToRawIntBits(simd[m])).as("trial %d, output %d", trial, m)
            .isEqualTo(Float.floatToRawIntBits(scalar[m]));
      }
    }
  }

  @Test
  void upsamplingKeepsTonesAndAddsNoImages() {
    Resampler r = Resampler.create(8000, OUT);
    float[] out = r.resample(Signals.tone(1000, 0.5, 8000, 8000));
    assertThat(out.length).isEqualTo(OUT);
    assertThat(db(amplitude(out, 1000, OUT) / 0.5)).isCloseTo(0.0, within(0.01));
    assertThat(db(amplitude(out, 7000, OUT) / 0.5)).as("image at 8000 - 1000 Hz").isLessThan(-80);
  }

  @Test
  void outputLengthIsTheCeilingOfTheScaledLength() {
    assertThat(Resampler.create(44100, OUT).outputLength(44101)).isEqualTo(22051);
    assertThat(Resampler.create(48000, OUT).outputLength(48000)).isEqualTo(22050);
    assertThat(Resampler.create(22050, OUT).resample(new float[] {1, 2, 3})).containsExactly(1, 2, 3);
  }

  @Test
  void badRatesAreRefusedWithTheValue() {
    assertThatThrownBy(() -> Resampler.create(0, OUT)).hasMessageContaining("fromRate=0");
    assertThatThrownBy(() -> Resampler.create(44100, -5)).hasMessageContaining("toRate=-5");
  }

  private static float[] noise(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextDouble() - 0.5);
    }
    return x;
  }
}
