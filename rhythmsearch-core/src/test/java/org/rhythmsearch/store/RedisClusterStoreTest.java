package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.testing.RedisCluster;

/**
 * The Redis store on a local 3-master Redis Cluster (issue 14, point 4): the same contract suite, and
 * indexes under different prefixes land on different masters while each stays in one slot.
 */
class RedisClusterStoreTest extends RedisStoreContract {

  static RedisCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected String location(String prefix) {
    return cluster.location(prefix);
  }

  @Test
  void indexesUnderManyPrefixesSpreadOverTheMastersAndEachAnswersWhole() throws Exception {
    int dim = FeatureConfigs.DEFAULT.dimension();
    java.util.Set<Integer> slots = new java.util.HashSet<>();
    for (int i = 0; i < 6; i++) {
      String prefix = "spread" + i;
      String here = location.substring(0, location.lastIndexOf('/') + 1) + prefix;
      try (VectorStore s = RedisStore.open(here, FeatureConfigs.DEFAULT)) {
        s.write(List.of(entry("/a", 2, i, dim), entry("/b", 1, i + 10, dim)));
        assertThat(s.snapshot().vectors().rows()).isEqualTo(3);
        assertThat(s.check().ok()).isTrue();
      }
      int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot("{" + prefix + "}:meta");
      slots.add(slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2); // the masters' ranges as redis-cli --cluster create splits them
    }
    assertThat(slots).as("the masters that hold them").hasSizeGreaterThan(1);
  }
}
