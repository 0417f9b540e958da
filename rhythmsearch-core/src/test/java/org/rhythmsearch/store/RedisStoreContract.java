package org.rhythmsearch.store;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.VectorEncoding;

/**
 * The contract suite for a Redis store: each test gets its own key prefix on the server (or cluster)
 * the subclass runs.
 */
abstract class RedisStoreContract extends VectorStoreContract {

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** This test's index. */
  String location;

  /** The address of an index under {@code prefix} on the server or cluster of this class. */
  protected abstract String location(String prefix);

  @BeforeEach
  void freshPrefix() {
    location = location(getClass().getSimpleName() + PREFIXES.incrementAndGet());
  }

  @Override
  protected VectorStore create(FeatureConfig config, VectorEncoding vectors) throws Exception {
    return RedisStore.open(location, config, vectors);
  }

  @Override
  protected VectorStore reopen() throws Exception {
    return RedisStore.openExisting(location);
  }

  @Override
  protected VectorStore reopen(FeatureConfig config) throws Exception {
    return RedisStore.open(location, config);
  }
}
