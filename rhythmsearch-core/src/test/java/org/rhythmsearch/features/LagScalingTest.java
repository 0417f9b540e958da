package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planned rescaling of the lag axis against the interpolation written out from its definition: each output lag {@code i} of a block reads the input at
 * {@code (i + firstLag) / factor − firstLag}, linearly between its two neighbours, 0 past the last lag.
 */
class LagScalingTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"onset-beat-8", "beat-spectrum", "onset-patterns-4"})
  void theRescaledVectorIsTheInterpolationOfTheDefinition(String feature) {
    FeatureConfig config = FeatureConfigs.byName(feature);
    SplittableRandom rnd = new SplittableRandom(7);
    float[] v = new float[config.dimension()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextDouble();
    }
    for (int k = -50; k <= 50; k++) {
      double factor = 1 + k * 0.01;
      LagScaling plan = LagScaling.of(config, factor);
      float[] expected = definition(config, v, factor);
      float[] scalar = new float[v.length];
      float norm = plan.applyInto(v, scalar, false);
      for (int i = 0; i < v.length; i++) {
        assertThat(scalar[i]).as("factor %.2f, value %d", factor, i).isCloseTo(expected[i], within(1e-6f));
      }
      double sq = 0;
      for (float x : expected) {
        sq += (double) x * x;
      }
      assertThat((double) norm).isCloseTo(Math.sqrt(sq), within(1e-5 * Math.sqrt(sq)));
    }
  }

  private static float[] definition(FeatureConfig config, float[] v, double factor) {
    float[] out = new float[v.length];
    int o = 0;
    for (int[] block : config.lagBlocks()) {
      int first = block[0];
      int len = block[1];
      for (int i = 0; i < len; i++) {
        double pos = Math.max(0, (i + first) / factor - first);
        int lo = (int) Math.floor(pos);
        if (lo >= len - 1) {
          out[o + i] = lo == len - 1 && pos == lo ? v[o + lo] : 0f;
        } else {
          double f = pos - lo;
          out[o + i] = (float) ((1 - f) * v[o + lo] + f * v[o + lo + 1]);
        }
      }
      o += len;
    }
    return out;
  }
}
