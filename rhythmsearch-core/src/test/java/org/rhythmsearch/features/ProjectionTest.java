package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.testing.Signals;

/** The learned whitening projection: what it fits, how it is kept, and the feature built on it. */
class ProjectionTest {

  /** Standard deviations along six hidden orthonormal axes. */
  private static final double[] SD = {5, 3, 2, 1, 0.5, 0.1};

  @Test
  void itFindsTheStrongestAxesAndWhitensThem() {
    Random rnd = new Random(7);
    double[][] axes = orthonormal(6, rnd);
    double[] mean = {3, -1, 2, 0, 1, 4};
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      float[] x = new float[6];
      for (int a = 0; a < 6; a++) {
        double z = rnd.nextGaussian() * SD[a];
        for (int j = 0; j < 6; j++) {
          x[j] += (float) (z * axes[a][j]);
        }
      }
      for (int j = 0; j < 6; j++) {
        x[j] += (float) mean[j];
      }
      rows.add(x);
    }
    double shrink = 1e-6;
    Projection p = Projection.fit(rows, 3, shrink);
    assertThat(p.inputDim()).isEqualTo(6);
    assertThat(p.outputDim()).isEqualTo(3);
    // the mean maps to the origin, and each output is the centred input along one of the three strongest
    // hidden axes divided by its standard deviation: unit variance, uncorrelated
    double[][] cov = new double[3][3];
    for (float[] x : rows) {
      float[] y = p.transform(x);
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          cov[a][b] += y[a] * (double) y[b] / rows.size();
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        assertThat(cov[a][b]).as("cov[%d][%d]", a, b).isCloseTo(a == b ? 1 : 0, org.assertj.core.data.Offset.offset(0.03));
      }
    }
    float[] centre = new float[6];
    for (int j = 0; j < 6; j++) {
      centre[j] = (float) mean[j];
    }
    for (float v : p.transform(centre)) {
      assertThat((double) v).isCloseTo(0, org.assertj.core.data.Offset.offset(0.02));
    }
    for (int a = 0; a < 3; a++) {
      float[] along = centre.clone();
      for (int j = 0; j < 6; j++) {
        along[j] += (float) (SD[a] * axes[a][j]);
      }
      float[] y = p.transform(along);
      assertThat((double) Math.abs(y[a])).as("one sd along axis %d", a).isCloseTo(1, org.assertj.core.data.Offset.offset(0.03));
    }
    // apply() is the transform unit-normalised
    float[] y = p.transform(rows.get(0));
    float[] u = p.apply(rows.get(0));
    double n = 0;
    for (float v : y) {
      n += v * (double) v;
    }
    for (int i = 0; i < 3; i++) {
      assertThat((double) u[i]).isCloseTo(y[i] / Math.sqrt(n), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void theShrinkLimitsHowMuchAWeakAxisIsAmplified() {
    Random rnd = new Random(3);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      rows.add(new float[] {(float) (rnd.nextGaussian() * 10), (float) (rnd.nextGaussian() * 0.01)});
    }
    // variances 100 and 1e-4, mean 50: with shrink 1 the weak axis gets 1/sqrt(1e-4 + 50), not 1/sqrt(1e-4)
    Projection p = Projection.fit(rows, 2, 1);
    float[] x = {0, 1};
    assertThat((double) Math.abs(p.transform(x)[1] - p.transform(new float[2])[1]))
        .isCloseTo(1 / Math.sqrt(1e-4 + 50.00005), org.assertj.core.data.Offset.offset(0.005));
  }

  @Test
  void itIsKeptAsOneChecksummedValueAndRefitsAgree() throws IOException {
    List<float[]> rows = randomRows(300, 40, 11);
    Projection p = Projection.fit(rows, 8, 0.03);
    assertThat(Projection.fit(rows, 8, 0.03).id()).as("the same data fit the same projection").isEqualTo(p.id());
    assertThat(p.id()).startsWith("pca-whiten-8-0.03@sha256:");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.write(out);
    byte[] bytes = out.toByteArray();
    Projection back = Projection.read(new ByteArrayInputStream(bytes));
    assertThat(back).isEqualTo(p);
    assertThat(back.trainingRows()).isEqualTo(300);
    assertThat(back.apply(rows.get(5))).containsExactly(p.apply(rows.get(5)));
    // one flipped bit in the weights, a truncation, another file
    byte[] flipped = bytes.clone();
    flipped[200] ^= 4;
    assertThatThrownBy(() -> Projection.read(new ByteArrayInputStream(flipped))).isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");
    assertThatThrownBy(() -> Projection.read(new ByteArrayInputStream(Arrays.copyOf(bytes, 500))))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Projection.read(new ByteArrayInputStream("RIFF....WAVE".getBytes())))
        .isInstanceOf(IOException.class).hasMessageContaining("not a RhythmSearch projection");
    assertThatThrownBy(() -> p.apply(new float[39])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("39");
  }

  @Test
  void badFitsAreRefusedWithTheReason() {
    List<float[]> rows = randomRows(10, 5, 1);
    assertThatThrownBy(() -> Projection.fit(rows.subList(0, 1), 2, 0.1)).hasMessageContaining("at least 2");
    assertThatThrownBy(() -> Projection.fit(rows, 6, 0.1)).hasMessageContaining("dims");
    assertThatThrownBy(() -> Projection.fit(rows, 2, 0)).hasMessageContaining("shrink");
  }

  @Test
  void theWhitenedFeatureIsItsDescriptorProjected() {
    FeatureConfig w = FeatureConfigs.byName(FeatureConfigs.ONSET_BEAT_16W_NAME);
    assertThat(w.dimension()).isEqualTo(FeatureConfigs.WHITENED_DIMS);
    assertThat(w.descriptorDimension()).isEqualTo(FeatureConfigs.ONSET_BEAT_16.dimension());
    assertThat(w.lagIndexed()).as("a projection mixes the lags: no tempo rescaling").isFalse();
    assertThat(w.parameters()).containsEntry("projection", w.projection().id());
    assertThat(w.projection().shrink()).isEqualTo(FeatureConfigs.WHITENED_SHRINK);
    assertThat(FeatureConfigs.unprojected(w)).isSameAs(FeatureConfigs.ONSET_BEAT_16);
    float[] clip = Signals.clickTrack(120, 10, 22050, 0.5, 5);
    float[] descriptor = new FeatureExtractor(FeatureConfigs.ONSET_BEAT_16).excerpt(clip).vector();
    float[] v = new FeatureExtractor(w).excerpt(clip).vector();
    assertThat(v).hasSize(512).containsExactly(w.projection().apply(descriptor));
    assertThatThrownBy(() -> FeatureConfigs.ONSET_BEAT_8.projected("x", 1, w.projection()))
        .hasMessageContaining("1944").hasMessageContaining("1080");
  }

  private static List<float[]> randomRows(int n, int dim, long seed) {
    Random rnd = new Random(seed);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[dim];
      for (int j = 0; j < dim; j++) {
        x[j] = (float) (rnd.nextGaussian() * (1 + j % 7));
      }
      rows.add(x);
    }
    return rows;
  }

  private static double[][] orthonormal(int n, Random rnd) {
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = rnd.nextGaussian();
      }
      for (int k = 0; k < i; k++) {
        double d = 0;
        for (int j = 0; j < n; j++) {
          d += a[i][j] * a[k][j];
        }
        for (int j = 0; j < n; j++) {
          a[i][j] -= d * a[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < n; j++) {
        norm += a[i][j] * a[i][j];
      }
      for (int j = 0; j < n; j++) {
        a[i][j] /= Math.sqrt(norm);
      }
    }
    return a;
  }
}
