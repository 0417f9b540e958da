package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins what LSH answers on fixed data and seeds (ids, candidate and probe counts, re-ranked counts,
 * cosine scores bit for bit) so that restructuring its code cannot change its behaviour. The digest was
 * recorded from the single-class implementation before it was split into hashing, tables, probing and
 * the sketch filter.
 */
class LshIndexPinTest {

  static String digestOfAnswers() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    int dim = 48;
    float[] data = new float[3000 * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.abs(rnd.nextGaussian() + (i % dim < 8 ? 1.5 : 0)); // a narrow cone, like rhythm vectors
    }
    VectorMatrix m = new VectorMatrix(data, dim);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    LshIndex[] indexes = {
      new LshIndex(m, new LshIndex.Params(8, 4, 16, 0, 11)),
      new LshIndex(m, new LshIndex.Params(6, 2, 8, 40, 12)),
      LshIndex.throughOrigin(m, new LshIndex.Params(7, 3, 9, 0, 13)),
    };
    float[] extra = new float[dim];
    for (int j = 0; j < dim; j++) {
      extra[j] = (float) Math.abs(rnd.nextGaussian());
    }
    indexes[0].add(extra);
    indexes[0].remove(5);
    indexes[0].remove(17);
    for (LshIndex lsh : indexes) {
      for (int t = 0; t < lsh.params().tables(); t++) {
        for (int c : lsh.rowCodes(t)) {
          md.update((byte) c);
          md.update((byte) (c >>> 8));
        }
      }
      for (int q = 0; q < 60; q++) {
        float[] query = m.row(q * 37 % m.rows());
        query[q % dim] += 0.3f;
        for (Metric metric : Metric.values()) {
          LshIndex.Result r = lsh.search(query, 10, metric);
          StringBuilder sb = new StringBuilder();
          sb.append(r.candidates()).append('/').append(r.probes()).append('/').append(r.reranked()).append(':');
          for (Neighbor n : r.neighbors()) {
            sb.append(n.id()).append(',');
            if (metric == Metric.COSINE) {
              sb.append(Float.floatToIntBits(n.score())).append(';');
            }
          }
          md.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        md.update(lsh.bucket(query).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void answersAreThoseOfTheImplementationBeforeTheSplit() throws Exception {
    assertThat(digestOfAnswers()).isEqualTo("df350176dccf68ac018cba6c52d19a7049f234ac3ac847d02736c6b0430be331");
  }
}
