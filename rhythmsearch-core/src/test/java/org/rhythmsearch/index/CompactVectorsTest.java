package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The compact (int8) form of a {@link VectorMatrix}: its encoding's error bound, and every kernel over
 * codes against the same kernel over the decoded values held as float32 (the oracle), SIMD and scalar.
 */
class CompactVectorsTest {

  private static final int DIM = 1080;

  /** Rows shaped like descriptors: non-negative blocks of decaying values plus noise, unit norm. */
  static float[] rows(int n, int dim, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] d = new float[n * dim];
    for (int r = 0; r < n; r++) {
      double ss = 0;
      for (int j = 0; j < dim; j++) {
        double x = Math.exp(-(j % 120) / 30.0) * rnd.nextDouble() + 0.2 * rnd.nextGaussian();
        d[r * dim + j] = (float) x;
        ss += x * x;
      }
      for (int j = 0; j < dim; j++) {
        d[r * dim + j] /= (float) Math.sqrt(ss);
      }
    }
    return d;
  }

  @Property(tries = 200, seed = "7")
  void eachValueIsWithinHalfAStepOfItsCode(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 300) int dim) {
    float[] v = rows(1, dim, seed);
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    float step = (hi - lo) / 255;
    float[] held = VectorEncoding.INT8.held(v);
    for (int j = 0; j < dim; j++) {
      assertThat(held[j]).isCloseTo(v[j], within(step / 2 + 1e-6f));
    }
    assertThat(VectorEncoding.INT8.encode(v)).hasSize(dim + 8);
    assertThat(VectorEncoding.INT8.held(held)).as("holding twice changes nothing that matters")
        .usingComparatorWithPrecision(1e-6f).containsExactly(held);
    assertThat(VectorEncoding.FLOAT32.held(v)).isSameAs(v);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Long> seeds() {
    return net.jqwik.api.Arbitraries.longs();
  }

  @Test
  void aConstantRowIsHeldExactly() {
    float[] v = new float[DIM];
    java.util.Arrays.fill(v, 0.25f);
    assertThat(VectorEncoding.INT8.held(v)).containsOnly(0.25f);
    assertThat(VectorMatrix.compact(new float[DIM], DIM).norm(0)).isZero();
  }

  @Test
  void everyKernelOverCodesAgreesWithFloat32OverTheDecodedValues() {
    int n = 203;
    VectorMatrix compact = VectorMatrix.compact(rows(n, DIM, 1), DIM);
    VectorMatrix decoded = compact.in(VectorEncoding.FLOAT32);
    assertThat(compact.compact()).isTrue();
    assertThat(decoded.compact()).isFalse();
    assertThat(compact.bytesPerRow()).isEqualTo(DIM + 8);
    for (int r = 0; r < n; r += 17) {
      assertThat(compact.norm(r)).isCloseTo(decoded.norm(r), within(1e-6f));
    }
    float[] q = rows(1, DIM, 99);
    float[][] alternatives = {rows(1, DIM, 100), rows(1, DIM, 101)};
    int[] which = new int[n];
    for (int r = 0; r < n; r++) {
      which[r] = r % 3 - 1; // -1, 0, 1
    }
    int[] some = {5, 200, 0, 77, 77, 13, 150, 9, 101};
    for (Kernels k : new Kernels[] {Kernels.best(), Kernels.scalar()}) {
      ExactIndex a = new ExactIndex(compact, k);
      ExactIndex b = new ExactIndex(decoded, Kernels.scalar());
      for (Metric m : Metric.values()) {
        assertThat(a.scores(q, m)).as(m + " " + k).usingComparatorWithPrecision(2e-5f).containsExactly(b.scores(q, m));
        assertThat(a.scoresOfRows(q, some, m)).as(m + " " + k).usingComparatorWithPrecision(2e-5f)
            .containsExactly(b.scoresOfRows(q, some, m));
      }
      float[] p1 = new float[n];
      float[] o1 = new float[n];
      float[] p2 = new float[n];
      float[] o2 = new float[n];
      a.pairedCosines(q, alternatives, which, p1, o1);
      b.pairedCosines(q, alternatives, which, p2, o2);
      assertThat(p1).usingComparatorWithPrecision(1e-6f).containsExactly(p2);
      assertThat(o1).usingComparatorWithPrecision(1e-6f).containsExactly(o2);
    }
  }

  @Test
  void scoresOfInt8AreWithinAThousandthOfFloat32() {
    float[] data = rows(300, DIM, 3);
    ExactIndex exact = new ExactIndex(new VectorMatrix(data.clone(), DIM));
    ExactIndex compact = new ExactIndex(VectorMatrix.compact(data, DIM));
    for (int i = 0; i < 10; i++) {
      float[] q = rows(1, DIM, 1000 + i);
      assertThat(compact.scores(q, Metric.COSINE)).usingComparatorWithPrecision(1e-3f)
          .containsExactly(exact.scores(q, Metric.COSINE));
    }
  }

  @Test
  void withRowAppendsWithoutChangingTheMatrixItCameFrom() {
    for (VectorEncoding e : VectorEncoding.values()) {
      VectorMatrix base = VectorMatrix.compact(rows(3, DIM, 5), DIM).in(e);
      VectorMatrix one = base;
      float[][] added = new float[40][];
      for (int i = 0; i < added.length; i++) {
        added[i] = rows(1, DIM, 50 + i);
        one = one.withRow(added[i]);
      }
      VectorMatrix other = base.withRow(rows(1, DIM, 999)); // a second branch from base: its own copy
      assertThat(base.rows()).isEqualTo(3);
      assertThat(one.rows()).isEqualTo(43);
      assertThat(other.rows()).isEqualTo(4);
      for (int i = 0; i < added.length; i++) {
        assertThat(one.row(3 + i)).as(e + " row " + i).containsExactly(e.held(added[i]));
      }
      assertThat(other.row(3)).containsExactly(e.held(rows(1, DIM, 999)));
      assertThat(one.row(2)).containsExactly(base.row(2));
      assertThat(one.encoding()).isEqualTo(e);
    }
  }

  @Test
  void selectKeepsTheCodesBitForBit() {
    VectorMatrix m = VectorMatrix.compact(rows(20, DIM, 8), DIM);
    VectorMatrix s = m.select(new int[] {19, 3, 3});
    assertThat(s.rows()).isEqualTo(3);
    assertThat(s.compact()).isTrue();
    assertThat(s.row(0)).containsExactly(m.row(19));
    assertThat(s.row(2)).containsExactly(m.row(3));
    assertThat(s.norm(1)).isEqualTo(m.norm(3));
  }

  @Test
  void aStoredRowDecodesIntoEitherForm() {
    float[] v = rows(1, DIM, 4);
    byte[] stored = VectorEncoding.INT8.encode(v);
    VectorMatrix.Builder f = VectorMatrix.builder(VectorEncoding.FLOAT32, 1, DIM);
    VectorEncoding.INT8.decode(stored, 0, DIM, f, 0);
    VectorMatrix.Builder c = VectorMatrix.builder(VectorEncoding.INT8, 1, DIM);
    VectorEncoding.INT8.decode(stored, 0, DIM, c, 0);
    assertThat(f.build().row(0)).containsExactly(c.build().row(0)).containsExactly(VectorEncoding.INT8.held(v));
    VectorMatrix.Builder back = VectorMatrix.builder(VectorEncoding.FLOAT32, 1, DIM);
    VectorEncoding.FLOAT32.decode(VectorEncoding.FLOAT32.encode(v), 0, DIM, back, 0);
    assertThat(back.build().row(0)).containsExactly(v);
  }

  @Test
  void anIvfOverCompactRowsReadsTheirCodesAndItsFirstPassIsExact() {
    VectorMatrix compact = VectorMatrix.compact(rows(2000, DIM, 21), DIM);
    ExactIndex exact = new ExactIndex(compact);
    IvfIndex all = new IvfIndex(compact, new IvfIndex.Params(16, 16, 1, 5)); // every list, re-rank only k
    IvfIndex some = new IvfIndex(compact, new IvfIndex.Params(16, 4, 64, 5));
    assertThat(all.bytesPerVector()).isLessThan(DIM + 16 + 100); // no codes of its own
    int hits = 0;
    for (int i = 0; i < 20; i++) {
      float[] q = rows(1, DIM, 500 + i);
      List<Neighbor> truth = exact.search(q, 10, Metric.COSINE, null);
      // the first pass over every row is exact: re-ranking only the best 10 of it gives exact search's answer
      assertThat(all.search(q, 10).neighbors()).isEqualTo(truth);
      for (Neighbor n : some.search(q, 10).neighbors()) {
        hits += truth.contains(n) ? 1 : 0;
      }
      // candidates (the first pass alone) of the same rows as exact scores them
      int[] c = all.candidates(q, 10, null);
      assertThat(c).containsExactlyInAnyOrder(truth.stream().mapToInt(Neighbor::id).toArray());
    }
    assertThat(hits).as("4 of 16 lists find most of the 10 best").isGreaterThan(20 * 10 / 2);
  }
}
