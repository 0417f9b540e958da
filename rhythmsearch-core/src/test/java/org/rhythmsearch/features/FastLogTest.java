package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastLogTest {

  @Test
  void agreesWithMathLogOverTheWholeRangeOfMelPower() {
    SplittableRandom rnd = new SplittableRandom(17);
    for (int i = 0; i < 200_000; i++) {
      // log-uniform over 1e-10 … 1e10 (the clamp floor up to far above any mel power)
      float x = (float) Math.pow(10, -10 + 20 * rnd.nextDouble());
      double expected = Math.log(x) / Math.log(2);
      assertThat((double) FastLog.log2(x)).as("log2(%s)", x).isCloseTo(expected, within(2e-6 + 2 * Math.ulp((float) expected)));
    }
    assertThat(FastLog.log2(1f)).isZero();
    assertThat(FastLog.log2(1024f)).isEqualTo(10f);
    assertThat(FastLog.log2(0.5f)).isEqualTo(-1f);
  }
}
