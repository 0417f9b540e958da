package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.testing.RedisServer;
import redis.clients.jedis.RedisClient;

/**
 * The Redis store against a real {@code redis-server} on a free loopback port: the same contract suite
 * as SQLite ({@link VectorStoreContract}), each test under its own key prefix, and what is Redis's own:
 * addresses, a server that is not there, damage below the store.
 */
class RedisStoreTest extends RedisStoreContract {

  static RedisServer server;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected String location(String prefix) {
    return server.location(prefix);
  }

  @Test
  void addressesAreReadAndAPasswordInThemIsRefused() throws Exception {
    assertThat(RedisStore.address("redis://example.org")).isEqualTo(
        new RedisStore.Address("example.org", 6379, false, null, "rhythmsearch"));
    assertThat(RedisStore.address("rediss://me@10.0.0.2:7000/catalogue-2")).isEqualTo(
        new RedisStore.Address("10.0.0.2", 7000, true, "me", "catalogue-2"));
    assertThatThrownBy(() -> RedisStore.address("redis://me:secret@host:6379")).isInstanceOf(StoreException.class)
        .hasMessageContaining("must not hold a password").hasMessageContaining(RedisStore.PASSWORD_ENV)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RedisStore.address("redis://host/a/b")).isInstanceOf(StoreException.class)
        .hasMessageContaining("the key prefix must be");
    assertThat(Stores.open(location, null)).isInstanceOf(RedisStore.class).satisfies(VectorStore::close);
  }

  @Test
  void aServerThatIsNotThereIsOneClearErrorNamingTheAddress() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String nowhere = "redis://127.0.0.1:" + port + "/x";
    assertThatThrownBy(() -> Stores.open(nowhere, null)).isInstanceOf(StoreException.class)
        .hasMessageStartingWith(nowhere + ": cannot reach Redis").hasMessageNotContaining("\n");
  }

  @Test
  void readOnlyOpeningNeedsAnIndexAndWritesNothing() throws Exception {
    assertThatThrownBy(() -> Stores.openReadOnly(location)).isInstanceOf(StoreException.class)
        .hasMessageContaining("no index there");
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 2, 1, FeatureConfigs.DEFAULT.dimension())));
    }
    try (VectorStore s = Stores.openReadOnly(location)) {
      assertThat(s.snapshot().vectors().rows()).isEqualTo(2);
      assertThatThrownBy(() -> s.remove(List.of("/a"))).isInstanceOf(StoreException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void everyChangeMovesTheVersionAndDamageBelowTheStoreIsFoundAndRepaired() throws Exception {
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (RedisStore s = RedisStore.open(location, FeatureConfigs.DEFAULT)) {
      long v0 = s.version();
      s.write(List.of(entry("/a", 2, 1, dim), entry("/b", 3, 2, dim), entry("/c", 1, 3, dim)));
      long v1 = s.version();
      assertThat(v1).isGreaterThan(v0);
      assertThat(s.remove(List.of("/nothing"))).isZero();
      assertThat(s.version()).isEqualTo(v1);
      assertThat(s.check().ok()).isTrue();
      assertThat(s.check().excerpts()).isEqualTo(6);
      assertThat(s.storedBytes()).as("MEMORY USAGE of its keys").isGreaterThan(6L * VectorEncoding.INT8.bytes(dim));

      // one flipped byte in b's vectors, as a failing disk or another program would leave it
      String prefix = location.substring(location.lastIndexOf('/') + 1);
      long idB = s.track("/b").orElseThrow().id();
      try (RedisClient raw = RedisClient.create("127.0.0.1", server.port())) {
        byte[] key = ("{" + prefix + "}:vectors").getBytes();
        byte[] field = Long.toString(idB).getBytes();
        byte[] blob = raw.hget(key, field);
        blob[blob.length / 2] ^= 0x10;
        raw.hset(key, field, blob);
      }
      assertThatThrownBy(s::snapshot).isInstanceOf(StoreException.class)
          .hasMessageContaining("damaged index: the vectors of /b are damaged (vectors failing its checksum)")
          .hasMessageContaining("check --index " + location + " --repair");
      VectorStore.CheckReport report = s.check();
      assertThat(report.ok()).isFalse();
      assertThat(report.damagedTracks()).extracting(TrackRecord::path).containsExactly("/b");
      assertThat(s.repair(report)).isEqualTo(1);
      assertThat(s.check().ok()).isTrue();
      assertThat(s.snapshot().tracks()).extracting(TrackRecord::path).containsExactly("/a", "/c");
      assertThat(s.version()).isGreaterThan(v1);
    }
  }

  @Test
  void aDamagedIvfValueIsRefusedReportedByCheckAndDroppedByRepair() throws Exception {
    int dim = FeatureConfigs.DEFAULT.dimension();
    List<VectorStore.Entry> entries = new java.util.ArrayList<>();
    for (int t = 0; t < 10; t++) {
      entries.add(entry("/t" + t, 4, t, dim));
    }
    try (RedisStore s = RedisStore.open(location, FeatureConfigs.DEFAULT)) {
      s.write(entries);
      Snapshot snap = s.snapshot();
      s.saveIvf(snap, new org.rhythmsearch.index.IvfIndex(snap.vectors(), new org.rhythmsearch.index.IvfIndex.Params(5, 2, 10, 3)));
      assertThat(s.ivfIndex(snap)).isPresent();
      String key = "{" + location.substring(location.lastIndexOf('/') + 1) + "}:ivf";
      try (RedisClient raw = RedisClient.create("127.0.0.1", server.port())) {
        byte[] value = raw.get(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        value[value.length / 3] ^= 0x20;
        raw.set(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
      }
      assertThatThrownBy(() -> s.ivfIndex(snap)).isInstanceOf(StoreException.class)
          .hasMessage(location + ": damaged IVF index: it fails its checksum; rebuild it with index --ann ivf");
      VectorStore.CheckReport report = s.check();
      assertThat(report.ivfDamaged()).isTrue();
      assertThat(s.repair(report)).isZero();
      assertThat(s.check().ok()).isTrue();
      assertThat(s.ivfIndex(s.snapshot())).isEmpty();
      assertThat(s.snapshot().vectors().rows()).isEqualTo(40);
    }
  }

  @Test
  void anLshBucketIsOneRedisReadHoldingExactlyTheRowsOfThatCode() throws Exception {
    int dim = FeatureConfigs.DEFAULT.dimension();
    List<VectorStore.Entry> entries = new java.util.ArrayList<>();
    for (int t = 0; t < 30; t++) {
      entries.add(entry("/t" + t, 4, t, dim));
    }
    try (RedisStore s = RedisStore.open(location, FeatureConfigs.DEFAULT)) {
      s.write(entries);
      Snapshot snap = s.snapshot();
      var params = new org.rhythmsearch.index.LshIndex.Params(5, 3, 8, 0, 11);
      var lsh = new org.rhythmsearch.index.LshIndex(snap.vectors(), params);
      s.saveLsh(snap, lsh);
      for (int t = 0; t < params.tables(); t++) {
        int[] codes = lsh.rowCodes(t);
        for (int code = 0; code < 1 << params.bits(); code++) {
          java.util.Set<String> expected = new java.util.HashSet<>();
          for (int r = 0; r < codes.length; r++) {
            if (codes[r] == code) {
              expected.add(snap.tracks().get(snap.excerptTrack()[r]).id() + ":"
                  + Integer.toHexString(Float.floatToRawIntBits(snap.excerptStart()[r])));
            }
          }
          assertThat(new java.util.HashSet<>(s.probe(t, code))).as("table %d, bucket %d", t, code).isEqualTo(expected);
        }
      }
      // saved again with fewer tables: the old tables' sets are gone, and the stored index is the new one
      s.saveLsh(snap, new org.rhythmsearch.index.LshIndex(snap.vectors(),
          new org.rhythmsearch.index.LshIndex.Params(5, 2, 8, 0, 12)));
      assertThat(s.probe(2, lsh.rowCodes(2)[0])).isEmpty();
      assertThat(s.loadLsh(snap).orElseThrow().params().tables()).isEqualTo(2);

      // a row moved to another bucket below the store: refused by its checksum, and check says so
      String prefix = location.substring(location.lastIndexOf('/') + 1);
      String member = s.probe(0, s.loadLsh(snap).orElseThrow().codes()[0][0]).get(0);
      try (RedisClient raw = RedisClient.create("127.0.0.1", server.port())) {
        raw.zadd("{" + prefix + "}:lsh:t0", (s.loadLsh(snap).orElseThrow().codes()[0][0] + 1) % 32, member);
      }
      assertThatThrownBy(() -> s.loadLsh(snap)).isInstanceOf(StoreException.class)
          .hasMessageContaining("damaged LSH tables: their codes fail their checksum");
      VectorStore.CheckReport report = s.check();
      assertThat(report.lshDamaged()).isTrue();
      s.repair(report);
      assertThat(s.loadLsh(snap)).isEmpty();
      assertThat(s.probe(0, 0)).isEmpty();
    }
  }
}
