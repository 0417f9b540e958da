package org.rhythmsearch.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.util.Named;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;

/**
 * An index in Redis ({@code redis://HOST:PORT[/PREFIX]}, or {@code rediss://} for TLS; a password
 * only from the environment variable {@value #PASSWORD_ENV}, never in the address), so that several
 * processes share one index. Every key carries the hash tag {@code {PREFIX}}, so one index lives in
 * one slot of a Redis Cluster and each write is one atomic step:
 *
 * <ul>
 *   <li>{@code {P}:meta} (hash): format, format version, the feature configuration (id and canonical
 *       parameters) and dimension;</li>
 *   <li>{@code {P}:paths} (hash): path → track id; {@code {P}:tracks} (hash): id → record;
 *       {@code {P}:vectors} (hash): id → the track's excerpts, little-endian float32, with start and
 *       tempo ({@link RedisCodec}; each value closed by a CRC32C);</li>
 *   <li>{@code {P}:version}: incremented by every change, so readers see that the index changed;
 *       {@code {P}:nextId}: the last track id given;</li>
 *   <li>{@code {P}:lsh} (hash): the LSH parameters and centre, a fingerprint of the rows they cover and
 *       checksums; {@code {P}:lsh:tN} (sorted set) per table: every row's reference scored by its code, so
 *       a bucket is one read ({@link #probe});</li>
 *   <li>{@code {P}:ivf} (string): the IVF index as a {@link StoredIvf} value. Saving it drops the LSH
 *       tables, and saving LSH tables drops it.</li>
 * </ul>
 *
 * <p>A batch is written by one Lua script, which Redis runs without interleaving any other client's
 * command: a reader sees each track either whole or not at all, and a writer killed before its script
 * ran leaves nothing. A snapshot reads the records and vectors in chunks between two reads of the change
 * counter (or, under constant writes, in one script), so it too sees one moment. Against a Redis
 * Cluster (the server says {@code cluster_enabled:1}) the client follows the cluster's slots; the hash tag
 * keeps every script's keys in one slot.
 *
 * <p>Thread-safe (a pooled client); open one per process.
 */
public final class RedisStore implements VectorStore {

  /** The format name in {@code {P}:meta}. */
  public static final String FORMAT = "rhythmsearch-redis";
  /** The format version this code writes and reads. */
  public static final int FORMAT_VERSION = 2;
  /** The format version before the meta hash named the vectors' encoding (they are float32); still read. */
  static final int FORMAT_VERSION_FLOAT32 = 1;
  /** The environment variable holding the Redis password (and, with {@code USER@} in the address, the user's). */
  public static final String PASSWORD_ENV = "RHYTHMSEARCH_REDIS_PASSWORD";
  /** The key prefix when the address has none. */
  public static final String DEFAULT_PREFIX = "rhythmsearch";
  static final int LSH_FORMAT_VERSION = 1;

  /** Writes a batch: for each track, drop any track at its path, then store the new one under a new id. */
  private static final String WRITE = String.join("\n",
      "local n = tonumber(ARGV[1])",
      "for i = 0, n - 1 do",
      "  local path, rec, vec = ARGV[2 + 3 * i], ARGV[3 + 3 * i], ARGV[4 + 3 * i]",
      "  local old = redis.call('HGET', KEYS[1], path)",
      "  if old then redis.call('HDEL', KEYS[2], old); redis.call('HDEL', KEYS[3], old) end",
      "  local id = redis.call('INCR', KEYS[5])",
      "  redis.call('HSET', KEYS[1], path, id)",
      "  redis.call('HSET', KEYS[2], id, rec)",
      "  if vec ~= '' then redis.call('HSET', KEYS[3], id, vec) end",
      "end",
      "return redis.call('INCR', KEYS[4])");

  /** Removes tracks by path; returns how many there were. */
  private static final String REMOVE = String.join("\n",
      "local removed = 0",
      "for i = 1, #ARGV do",
      "  local id = redis.call('HGET', KEYS[1], ARGV[i])",
      "  if id then",
      "    redis.call('HDEL', KEYS[1], ARGV[i]); redis.call('HDEL', KEYS[2], id); redis.call('HDEL', KEYS[3], id)",
      "    removed = removed + 1",
      "  end",
      "end",
      "if removed > 0 then redis.call('INCR', KEYS[4]) end",
      "return removed");

  /**
   * Removes tracks by id (and any path pointing at them), orphan vectors, and the LSH tables and IVF
   * index when asked: KEYS paths, tracks, vectors, version, ivf, then the LSH hash and tables; ARGV drop
   * LSH, drop IVF, then the ids.
   */
  private static final String REPAIR = String.join("\n",
      "local removed = 0",
      "local dropLsh = ARGV[1]",
      "if ARGV[2] == '1' then redis.call('DEL', KEYS[5]) end",
      "for i = 3, #ARGV do",
      "  if redis.call('HDEL', KEYS[2], ARGV[i]) == 1 then removed = removed + 1 end",
      "  redis.call('HDEL', KEYS[3], ARGV[i])",
      "end",
      "local paths = redis.call('HGETALL', KEYS[1])",
      "for i = 1, #paths, 2 do",
      "  if redis.call('HEXISTS', KEYS[2], paths[i + 1]) == 0 then redis.call('HDEL', KEYS[1], paths[i]) end",
      "end",
      "local ids = redis.call('HKEYS', KEYS[3])",
      "for i = 1, #ids do",
      "  if redis.call('HEXISTS', KEYS[2], ids[i]) == 0 then redis.call('HDEL', KEYS[3], ids[i]) end",
      "end",
      "if dropLsh == '1' then for i = 6, #KEYS do redis.call('DEL', KEYS[i]) end end",
      "redis.call('INCR', KEYS[4])",
      "return removed");

  /** Everything a snapshot needs, at one moment: the change counter, the records, the vectors, the path table's ids. */
  private static final String READ_ALL = String.join("\n",
      "return {redis.call('GET', KEYS[1]) or '0', redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]),",
      "  redis.call('HVALS', KEYS[4])}");

  /**
   * Replaces the LSH tables: KEYS[1] the parameters' hash, KEYS[2..] the tables' sorted sets (the old
   * ones too); ARGV: the hash's field/value count and pairs, then the table count, the row count and per
   * table the rows' code/reference pairs.
   */
  private static final String SAVE_LSH = String.join("\n",
      "for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end",
      "local n = tonumber(ARGV[1])",
      "redis.call('HSET', KEYS[1], unpack(ARGV, 2, 1 + n))",
      "local at = 2 + n",
      "local tables, rows = tonumber(ARGV[at]), tonumber(ARGV[at + 1])",
      "at = at + 2",
      "for t = 1, tables do",
      "  local r = 0",
      "  while r < rows do",
      "    local chunk = {}",
      "    for j = r, math.min(rows, r + 500) - 1 do",
      "      chunk[#chunk + 1] = ARGV[at + 2 * j]; chunk[#chunk + 1] = ARGV[at + 2 * j + 1]",
      "    end",
      "    redis.call('ZADD', KEYS[1 + t], unpack(chunk))",
      "    r = r + 500",
      "  end",
      "  at = at + 2 * rows",
      "end",
      "return 1");

  /** Stores the IVF value KEYS[1] = ARGV[1] and drops the LSH hash and tables (KEYS[2..]). */
  private static final String SAVE_IVF = String.join("\n",
      "for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end",
      "redis.call('SET', KEYS[1], ARGV[1])",
      "return 1");

  /** The LSH tables at one moment: the parameters' hash, then each table's members and codes. */
  private static final String READ_LSH = String.join("\n",
      "local out = {redis.call('HGETALL', KEYS[1])}",
      "for i = 2, #KEYS do out[#out + 1] = redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES') end",
      "return out");

  /** Creates the meta hash if there is none; returns the stored feature id and canonical parameters. */
  private static final String CREATE = String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then",
      "  redis.call('HSET', KEYS[1], 'format', ARGV[1], 'formatVersion', ARGV[2], 'featureId', ARGV[3],",
      "    'featureCanonical', ARGV[4], 'dimension', ARGV[5], 'vectors', ARGV[6])",
      "end",
      "return redis.call('HMGET', KEYS[1], 'format', 'formatVersion', 'featureId', 'featureCanonical', 'vectors')");

  private final String location;
  private final UnifiedJedis redis;
  private final FeatureConfig config;
  private final VectorEncoding encoding;
  private final boolean readOnly;
  private final String meta;
  private final String paths;
  private final String tracks;
  private final String vectors;
  private final String version;
  private final String nextId;
  private final String lsh;
  private final String ivf;

  private RedisStore(String location, UnifiedJedis redis, String prefix, FeatureConfig config, VectorEncoding encoding,
      boolean readOnly) {
    this.location = location;
    this.redis = redis;
    this.config = config;
    this.encoding = encoding;
    this.readOnly = readOnly;
    String tag = "{" + prefix + "}:";
    this.meta = tag + "meta";
    this.paths = tag + "paths";
    this.tracks = tag + "tracks";
    this.vectors = tag + "vectors";
    this.version = tag + "version";
    this.nextId = tag + "nextId";
    this.lsh = tag + "lsh";
    this.ivf = tag + "ivf";
  }

  /** Whether {@code location} names a Redis index ({@code redis://} or {@code rediss://}). */
  public static boolean isLocation(String location) {
    return location.startsWith("redis://") || location.startsWith("rediss://");
  }

  /** Where a Redis index is: server, TLS, user, key prefix. */
  record Address(String host, int port, boolean tls, String user, String prefix) {}

  /**
   * Reads {@code redis://[USER@]HOST[:PORT][/PREFIX]} (port 6379 by default, prefix
   * {@value #DEFAULT_PREFIX}).
   *
   * @throws StoreException for another form, or a password in the address
   */
  static Address address(String location) throws StoreException {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new StoreException(location + ": not a Redis address (redis://HOST:PORT[/PREFIX]): " + e.getReason());
    }
    String user = uri.getRawUserInfo();
    if (user != null && user.contains(":")) {
      throw new StoreException("the Redis address must not hold a password (it would show in the process list and "
          + "the shell's history); give it in the environment variable " + PASSWORD_ENV);
    }
    if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new StoreException(location + ": not a Redis address (redis://HOST:PORT[/PREFIX])");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (!path.isEmpty() && !path.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new StoreException(location + ": the key prefix must be 1 to 100 letters, digits, '.', '_' or '-'; prefix="
          + path);
    }
    return new Address(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), "rediss".equals(uri.getScheme()),
        user, path.isEmpty() ? DEFAULT_PREFIX : path);
  }

  /**
   * Opens the index at {@code location} for writing, creating it with {@code feature} (the default when
   * null) when there is none; an existing index keeps its configuration and refuses another.
   */
  public static RedisStore open(String location, FeatureConfig feature) throws StoreException {
    return open(location, feature, null);
  }

  /**
   * As {@link #open(String, FeatureConfig)}, a new index holding its vectors as {@code encoding} (null:
   * {@link VectorEncoding#DEFAULT}); an existing one that holds them otherwise than a given encoding is refused.
   */
  public static RedisStore open(String location, FeatureConfig feature, VectorEncoding encoding) throws StoreException {
    return open(location, feature, encoding, true, false);
  }

  /** Opens an existing index with its own feature configuration, for reading and writing. */
  public static RedisStore openExisting(String location) throws StoreException {
    return open(location, null, null, false, false);
  }

  /** Opens an existing index for reading only: nothing is ever written to Redis. */
  public static RedisStore openReadOnly(String location) throws StoreException {
    return open(location, null, null, false, true);
  }

  private static RedisStore open(String location, FeatureConfig feature, VectorEncoding encoding, boolean create,
      boolean readOnly) throws StoreException {
    Address a = address(location);
    DefaultJedisClientConfig.Builder cfg = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(5000).socketTimeoutMillis(60_000).clientName("rhythmsearch");
    if (a.tls()) { // the JDK's trust store and host name check
      cfg.sslOptions(SslOptions.defaults());
    }
    String password = System.getenv(PASSWORD_ENV);
    if (password != null && !password.isEmpty()) {
      cfg.password(password);
      if (a.user() != null) {
        cfg.user(a.user());
      }
    }
    DefaultJedisClientConfig clientConfig = cfg.build();
    HostAndPort node = new HostAndPort(a.host(), a.port());
    UnifiedJedis redis = RedisClient.builder().hostAndPort(node).clientConfig(clientConfig).build();
    try {
      if (redis.info("cluster").contains("cluster_enabled:1")) { // follow the cluster's slots from this node
        redis.close();
        redis = RedisClusterClient.builder().nodes(java.util.Set.of(node)).clientConfig(clientConfig).build();
      }
      List<String> stored = create && !readOnly ? created(redis, a.prefix(), feature == null ? FeatureConfigs.DEFAULT
          : feature, encoding == null ? VectorEncoding.DEFAULT : encoding)
          : redis.hmget("{" + a.prefix() + "}:meta", "format", "formatVersion", "featureId", "featureCanonical",
              "vectors");
      if (stored.get(0) == null) {
        throw new StoreException(location + ": no index there (no key {" + a.prefix() + "}:meta); create one with: "
            + "rhythmsearch index PATH... --index " + location);
      }
      if (!FORMAT.equals(stored.get(0))) {
        throw new StoreException(location + ": not a RhythmSearch index (format '" + stored.get(0) + "')");
      }
      boolean old = Integer.toString(FORMAT_VERSION_FLOAT32).equals(stored.get(1));
      if (!old && !Integer.toString(FORMAT_VERSION).equals(stored.get(1))) {
        throw new StoreException(location + ": index format version " + stored.get(1) + " is not one this "
            + "rhythmsearch reads (" + FORMAT_VERSION_FLOAT32 + " or " + FORMAT_VERSION + ")");
      }
      VectorEncoding held;
      try {
        held = old ? VectorEncoding.FLOAT32 : Named.byId(VectorEncoding.class, String.valueOf(stored.get(4)),
            "vector encoding");
      } catch (IllegalArgumentException e) {
        throw new StoreException(location + ": corrupt index meta (" + e.getMessage() + ")");
      }
      if (encoding != null && held != encoding) {
        throw new StoreException(location + ": index holds its vectors as " + held.id() + ", not " + encoding.id()
            + " (leave the choice out to add to it, or use another prefix)");
      }
      FeatureConfig known = SqliteSchema.knownConfig(location, stored.get(2), stored.get(3));
      if (feature != null && !known.equals(feature)) {
        throw new StoreException(location + ": index was built with feature " + known.id() + "; this run uses "
            + feature.id() + " (use another prefix, or the index's feature)");
      }
      return new RedisStore(location, redis, a.prefix(), known, held, readOnly);
    } catch (JedisException e) {
      redis.close();
      throw new StoreException(location + ": " + describe(e), e);
    } catch (StoreException | RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  private static List<String> created(UnifiedJedis redis, String prefix, FeatureConfig feature,
      VectorEncoding encoding) {
    Object r = redis.eval(CREATE, List.of("{" + prefix + "}:meta"), List.of(FORMAT, Integer.toString(FORMAT_VERSION),
        feature.id(), feature.canonical(), Integer.toString(feature.dimension()), encoding.id()));
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) r) {
      out.add(o == null ? null : o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o.toString());
    }
    return out;
  }

  /** A client error in one line: "cannot connect to HOST:PORT (Connection refused)", or Redis's own message. */
  static String describe(JedisException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (e instanceof redis.clients.jedis.exceptions.JedisConnectionException) {
      return "cannot reach Redis (" + root.getMessage() + ")";
    }
    return "Redis: " + e.getMessage();
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public VectorEncoding encoding() {
    return encoding;
  }

  @Override
  public FeatureConfig config() {
    return config;
  }

  /** The change counter: it grows with every write, removal or repair, so readers can see the index changed. */
  @Override
  public java.util.OptionalLong changeCounter() throws StoreException {
    return java.util.OptionalLong.of(version());
  }

  public long version() throws StoreException {
    return call(() -> {
      String v = redis.get(version);
      return v == null ? 0L : Long.parseLong(v);
    });
  }

  /** {@inheritDoc} The sum of {@code MEMORY USAGE} over the index's keys, every element counted. */
  @Override
  public long storedBytes() throws StoreException {
    return call(() -> {
      long sum = 0;
      List<String> keys = new ArrayList<>(List.of(meta, paths, tracks, vectors, version, nextId, lsh, ivf));
      for (int t = 0; t < storedTables(); t++) {
        keys.add(lshTable(t));
      }
      for (String k : keys) {
        Long b = redis.memoryUsage(k, 0);
        sum += b == null ? 0 : b;
      }
      return sum;
    });
  }

  @Override
  public Optional<TrackRecord> track(String path) throws StoreException {
    return call(() -> {
      String id = redis.hget(paths, path);
      if (id == null) {
        return Optional.<TrackRecord>empty();
      }
      byte[] rec = redis.hget(tracks.getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8));
      return rec == null ? Optional.<TrackRecord>empty() : Optional.of(decodeRecord(Long.parseLong(id), rec));
    });
  }

  @Override
  public List<TrackRecord> tracks() throws StoreException {
    return call(() -> records(redis.hgetAll(tracks.getBytes(StandardCharsets.UTF_8))));
  }

  private List<TrackRecord> records(Map<byte[], byte[]> raw) throws StoreException {
    List<TrackRecord> out = new ArrayList<>(raw.size());
    for (Map.Entry<byte[], byte[]> e : raw.entrySet()) {
      out.add(decodeRecord(id(e.getKey()), e.getValue()));
    }
    out.sort(Comparator.comparingLong(TrackRecord::id));
    return out;
  }

  long id(byte[] field) throws StoreException {
    String s = new String(field, StandardCharsets.UTF_8);
    if (!s.matches("\\d{1,18}")) {
      throw new StoreException(location + ": damaged index: a track stored under '" + s + "', not an id; run: "
          + "rhythmsearch check --index " + location + " --repair");
    }
    return Long.parseLong(s);
  }

  TrackRecord decodeRecord(long id, byte[] bytes) throws StoreException {
    try {
      return RedisCodec.record(id, bytes);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      throw new StoreException(location + ": damaged index: the record of track " + id + " is damaged ("
          + e.getMessage() + "); run: rhythmsearch check --index " + location + " --repair");
    }
  }

  @Override
  public void write(List<Entry> batch) throws StoreException {
    requireWritable();
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> args = new ArrayList<>(1 + 3 * batch.size());
    args.add(Integer.toString(batch.size()).getBytes(StandardCharsets.UTF_8));
    for (Entry e : batch) {
      TrackRecord t = e.track();
      for (ExcerptVector x : e.excerpts()) {
        if (x.vector().length != config.dimension()) {
          throw new StoreException(location + ": vector of dimension " + x.vector().length + " for " + t.path()
              + "; the index holds dimension " + config.dimension() + "; nothing of the batch was stored");
        }
        for (float v : x.vector()) {
          if (!Float.isFinite(v)) {
            throw new StoreException(location + ": the vector of " + t.path() + " at " + x.startSeconds()
                + " s holds a value that is not a finite number; nothing of the batch was stored");
          }
        }
      }
      List<ExcerptVector> sorted = new ArrayList<>(e.excerpts());
      sorted.sort(Comparator.comparingDouble(ExcerptVector::startSeconds));
      args.add(t.path().getBytes(StandardCharsets.UTF_8));
      args.add(RedisCodec.record(t, sorted.size()));
      args.add(sorted.isEmpty() ? new byte[0] : RedisCodec.vectors(t.path(), sorted, config.dimension(),
          encoding));
    }
    call(() -> redis.eval(WRITE.getBytes(StandardCharsets.UTF_8), keys(paths, tracks, vectors, version, nextId), args));
  }

  @Override
  public int remove(List<String> removed) throws StoreException {
    requireWritable();
    if (removed.isEmpty()) {
      return 0;
    }
    List<byte[]> args = new ArrayList<>();
    for (String p : removed) {
      args.add(p.getBytes(StandardCharsets.UTF_8));
    }
    Object n = call(() -> redis.eval(REMOVE.getBytes(StandardCharsets.UTF_8), keys(paths, tracks, vectors, version),
        args));
    return ((Number) n).intValue();
  }

  /** Everything, read in one script: the change counter, the records and the vectors of one moment. */
  record Raw(long version, Map<byte[], byte[]> records, Map<byte[], byte[]> vectors, List<String> paths) {}

  /**
   * Everything at one moment. Read in chunks ({@code HSCAN}) between two reads of the change counter, so
   * Redis never builds one reply of every vector (which needs as much memory again) nor blocks other
   * clients for the whole read; every write moves the counter in the same script, so an unchanged counter
   * means nothing was written in between. Under constant writes, after a few tries, one script reads it all.
   */
  Raw raw() throws StoreException {
    for (int attempt = 0; attempt < 4; attempt++) {
      long before = version();
      Map<byte[], byte[]> records = scan(tracks);
      Map<byte[], byte[]> vecs = scan(vectors);
      List<String> ids = call(() -> redis.hvals(paths));
      if (version() == before) {
        return new Raw(before, records, vecs, ids);
      }
    }
    List<?> r = (List<?>) call(() -> redis.eval(bytes(READ_ALL), keys(version, tracks, vectors, paths), List.of()));
    List<String> ids = new ArrayList<>();
    for (Object o : (List<?>) r.get(3)) {
      ids.add(new String((byte[]) o, StandardCharsets.UTF_8));
    }
    return new Raw(Long.parseLong(new String((byte[]) r.get(0), StandardCharsets.UTF_8)), pairs(r.get(1)), pairs(r.get(2)),
        ids);
  }

  /** Every field and value of hash {@code key}, read 64 at a time (a field seen twice counts once). */
  private Map<byte[], byte[]> scan(String key) throws StoreException {
    Map<byte[], byte[]> out = new TreeMap<>(java.util.Arrays::compare);
    byte[] k = bytes(key);
    ScanParams params = new ScanParams().count(64);
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    do {
      byte[] at = cursor;
      var page = call(() -> redis.hscan(k, at, params));
      for (Map.Entry<byte[], byte[]> e : page.getResult()) {
        out.put(e.getKey(), e.getValue());
      }
      cursor = page.getCursorAsBytes();
    } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
    return out;
  }

  /** A flat reply {@code [field, value, field, value, …]} as a map. */
  private static Map<byte[], byte[]> pairs(Object reply) {
    List<?> flat = (List<?>) reply;
    Map<byte[], byte[]> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put((byte[]) flat.get(i), (byte[]) flat.get(i + 1));
    }
    return out;
  }

  @Override
  public Snapshot snapshot() throws StoreException {
    Raw raw = raw();
    List<TrackRecord> list = records(raw.records());
    Map<Long, byte[]> blobs = new HashMap<>();
    for (Map.Entry<byte[], byte[]> e : raw.vectors().entrySet()) {
      blobs.put(id(e.getKey()), e.getValue());
    }
    long total = 0;
    for (TrackRecord t : list) {
      total += t.excerpts();
    }
    int dim = config.dimension();
    if (total * dim > Integer.MAX_VALUE - 16) {
      throw new StoreException(location + ": " + total + " excerpts do not fit in one in-memory matrix");
    }
    VectorMatrix.Builder matrix = VectorMatrix.builder(encoding, (int) total, dim);
    int[] excerptTrack = new int[(int) total];
    float[] excerptStart = new float[(int) total];
    float[] excerptTempo = new float[(int) total];
    int row = 0;
    for (int t = 0; t < list.size(); t++) {
      TrackRecord rec = list.get(t);
      byte[] blob = blobs.remove(rec.id());
      if (rec.excerpts() == 0) {
        if (blob != null) {
          throw damaged("track " + rec.path() + " has vectors but its record counts none");
        }
        continue;
      }
      if (blob == null) {
        throw damaged("the vectors of " + rec.path() + " are missing");
      }
      RedisCodec.Vectors v = decodeVectors(rec, blob);
      for (int i = 0; i < v.count(); i++) {
        decodeRow(rec, v, i, matrix, row);
        excerptTrack[row] = t;
        excerptStart[row] = (float) v.starts()[i];
        excerptTempo[row] = !(v.tempi()[i] > 0) ? Float.NaN : (float) v.tempi()[i];
        row++;
      }
    }
    if (!blobs.isEmpty()) {
      throw damaged("vectors stored for track id " + blobs.keySet().iterator().next() + ", which has no record");
    }
    return new Snapshot(config, list, matrix.build(), excerptTrack, excerptStart, excerptTempo);
  }

  RedisCodec.Vectors decodeVectors(TrackRecord rec, byte[] blob) throws StoreException {
    RedisCodec.Vectors v;
    try {
      v = RedisCodec.vectors(blob, config.dimension());
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      throw damaged("the vectors of " + rec.path() + " are damaged (" + e.getMessage() + ")");
    }
    if (!v.path().equals(rec.path())) {
      throw damaged("the vectors stored under track " + rec.id() + " (" + rec.path() + ") are those of " + v.path());
    }
    if (v.count() != rec.excerpts()) {
      throw damaged("track " + rec.path() + " has " + v.count() + " excerpts stored; its record counts "
          + rec.excerpts());
    }
    if (v.encoding() != encoding) {
      throw damaged("the vectors of " + rec.path() + " are stored as " + v.encoding().id() + " in an index of "
          + encoding.id() + " vectors");
    }
    return v;
  }

  /** Sets {@code row} of {@code into} from excerpt {@code i} of {@code v}, checked (finite values). */
  void decodeRow(TrackRecord rec, RedisCodec.Vectors v, int i, VectorMatrix.Builder into, int row)
      throws StoreException {
    try {
      v.encoding().decode(v.rows()[i], 0, config.dimension(), into, row);
    } catch (IllegalArgumentException e) {
      throw damaged("a vector of " + rec.path() + " at " + v.starts()[i] + " s " + e.getMessage());
    }
  }

  StoreException damaged(String what) {
    return new StoreException(location + ": damaged index: " + what + "; run: rhythmsearch check --index " + location
        + " --repair");
  }

  /** The sorted set of LSH table {@code t}: each row's reference, scored by its code. */
  private String lshTable(int t) {
    return lsh + ":t" + t;
  }

  /** A row's reference in the LSH tables: its track id and start (float bits, hex). */
  private static String rowRef(long trackId, float start) {
    return trackId + ":" + Integer.toHexString(Float.floatToRawIntBits(start));
  }

  /** The CRC32C of the codes, table by table, in the snapshot's row order. */
  private static long codesChecksum(int[][] codes) {
    CRC32C c = new CRC32C();
    for (int[] table : codes) {
      ByteBuffer b = ByteBuffer.allocate(4 * table.length).order(ByteOrder.LITTLE_ENDIAN);
      for (int x : table) {
        b.putInt(x);
      }
      c.update(b.array());
    }
    return c.getValue();
  }

  /**
   * {@inheritDoc} The parameters go to {@code {P}:lsh}; each table is a sorted set {@code {P}:lsh:tN}
   * of row references ({@code TRACKID:START}) scored by their code, so a probe of a bucket is one Redis
   * read ({@link #probe}). One script writes it all.
   */
  @Override
  public void saveLsh(Snapshot snapshot, LshIndex index) throws StoreException {
    requireWritable();
    LshIndex.Params p = index.params();
    int rows = snapshot.vectors().rows();
    int[][] codes = new int[p.tables()][];
    for (int t = 0; t < p.tables(); t++) {
      codes[t] = index.rowCodes(t);
    }
    Map<byte[], byte[]> fields = new TreeMap<>(java.util.Arrays::compare);
    put(fields, "format", Integer.toString(LSH_FORMAT_VERSION));
    put(fields, "bits", Integer.toString(p.bits()));
    put(fields, "tables", Integer.toString(p.tables()));
    put(fields, "probes", Integer.toString(p.probes()));
    put(fields, "rerank", Integer.toString(p.rerank()));
    put(fields, "seed", Long.toString(p.seed()));
    put(fields, "rows", Integer.toString(rows));
    put(fields, "fingerprint", Long.toString(snapshot.rowFingerprint()));
    put(fields, "codesCrc", Long.toString(codesChecksum(codes)));
    fields.put(bytes("center"), floats(index.center()));
    put(fields, "crc", Long.toString(lshChecksum(fields)));
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(Integer.toString(2 * fields.size())));
    fields.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    args.add(bytes(Integer.toString(p.tables())));
    args.add(bytes(Integer.toString(rows)));
    for (int t = 0; t < p.tables(); t++) {
      for (int r = 0; r < rows; r++) {
        args.add(bytes(Integer.toString(codes[t][r])));
        args.add(bytes(rowRef(snapshot.tracks().get(snapshot.excerptTrack()[r]).id(), snapshot.excerptStart()[r])));
      }
    }
    int old = storedTables();
    List<String> keys = new ArrayList<>(List.of(lsh));
    for (int t = 0; t < Math.max(old, p.tables()); t++) {
      keys.add(lshTable(t));
    }
    keys.add(ivf); // deleted with the old tables, never written: the LSH tables replace an IVF index
    call(() -> redis.eval(bytes(SAVE_LSH), keys(keys.toArray(String[]::new)), args));
  }

  /** {@inheritDoc} One script sets {@code {P}:ivf} and drops the LSH tables. */
  @Override
  public void saveIvf(Snapshot snapshot, IvfIndex index) throws StoreException {
    requireWritable();
    byte[] value = StoredIvf.encode(snapshot, index);
    List<String> keys = new ArrayList<>(List.of(ivf, lsh));
    for (int t = 0; t < storedTables(); t++) {
      keys.add(lshTable(t));
    }
    call(() -> redis.eval(bytes(SAVE_IVF), keys(keys.toArray(String[]::new)), List.of(value)));
  }

  @Override
  public boolean approximateStored() throws StoreException {
    return call(() -> redis.exists(ivf) || redis.exists(lsh));
  }

  /** {@inheritDoc} In {@code {P}:meta}, field {@code note.KEY}. */
  @Override
  public void saveNote(String key, String value) throws StoreException {
    requireWritable();
    String k = VectorStore.noteKey(key);
    call(() -> redis.hset(meta, k, value));
  }

  @Override
  public Optional<String> note(String key) throws StoreException {
    String k = VectorStore.noteKey(key);
    return Optional.ofNullable(call(() -> redis.hget(meta, k)));
  }

  @Override
  public Optional<StoredIvf> loadIvf(Snapshot snapshot) throws StoreException {
    byte[] value = call(() -> redis.get(bytes(ivf)));
    return value == null ? Optional.empty() : StoredIvf.decode(value, snapshot, location);
  }

  /** The table count of the stored LSH tables (0 when none, or unreadable). */
  private int storedTables() throws StoreException {
    String n = call(() -> redis.hget(lsh, "tables"));
    return n != null && n.matches("\\d{1,4}") ? Integer.parseInt(n) : 0;
  }

  /**
   * The rows in bucket {@code code} of LSH table {@code table}, as {@code TRACKID:START} references
   * (start as the hex bits of a float32): one Redis read.
   */
  public List<String> probe(int table, int code) throws StoreException {
    return call(() -> redis.zrangeByScore(lshTable(table), code, code));
  }

  @Override
  public Optional<StoredLsh> loadLsh(Snapshot snapshot) throws StoreException {
    int tables = storedTables();
    List<String> keys = new ArrayList<>(List.of(lsh));
    for (int t = 0; t < tables; t++) {
      keys.add(lshTable(t));
    }
    List<?> reply = (List<?>) call(() -> redis.eval(bytes(READ_LSH), keys(keys.toArray(String[]::new)), List.of()));
    Map<byte[], byte[]> raw = pairs(reply.get(0));
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Map<String, byte[]> m = new HashMap<>();
    raw.forEach((k, v) -> m.put(new String(k, StandardCharsets.UTF_8), v));
    try {
      if (!Integer.toString(LSH_FORMAT_VERSION).equals(text(m, "format"))) {
        throw new StoreException(location + ": LSH format " + text(m, "format") + " is not one this rhythmsearch reads ("
            + LSH_FORMAT_VERSION + "); rebuild it with index --lsh");
      }
      Map<byte[], byte[]> covered = new TreeMap<>(java.util.Arrays::compare);
      raw.forEach((k, v) -> {
        if (!"crc".equals(new String(k, StandardCharsets.UTF_8))) {
          covered.put(k, v);
        }
      });
      if (!Long.toString(lshChecksum(covered)).equals(text(m, "crc"))) {
        throw new StoreException(location + ": damaged LSH tables: they fail their checksum; rebuild them with "
            + "index --lsh");
      }
      if (Integer.parseInt(text(m, "rows")) != snapshot.vectors().rows()
          || Long.parseLong(text(m, "fingerprint")) != snapshot.rowFingerprint()) {
        return Optional.empty(); // tracks were added or removed since: stale
      }
      LshIndex.Params p = new LshIndex.Params(Integer.parseInt(text(m, "bits")), Integer.parseInt(text(m, "tables")),
          Integer.parseInt(text(m, "probes")), Integer.parseInt(text(m, "rerank")), Long.parseLong(text(m, "seed")));
      if (p.tables() != tables) {
        return loadLsh(snapshot); // saved again between the two reads: read the new ones
      }
      int rows = snapshot.vectors().rows();
      Map<String, Integer> rowOf = new HashMap<>();
      for (int r = 0; r < rows; r++) {
        rowOf.put(rowRef(snapshot.tracks().get(snapshot.excerptTrack()[r]).id(), snapshot.excerptStart()[r]), r);
      }
      int[][] codes = new int[tables][rows];
      for (int t = 0; t < tables; t++) {
        List<?> flat = (List<?>) reply.get(1 + t);
        if (flat.size() != 2 * rows) {
          throw new StoreException(location + ": damaged LSH tables: table " + t + " holds " + flat.size() / 2
              + " rows of " + rows + "; rebuild them with index --lsh");
        }
        for (int i = 0; i < flat.size(); i += 2) {
          Integer r = rowOf.get(new String((byte[]) flat.get(i), StandardCharsets.UTF_8));
          if (r == null) {
            throw new StoreException(location + ": damaged LSH tables: table " + t + " holds a row the index does "
                + "not; rebuild them with index --lsh");
          }
          codes[t][r] = (int) Double.parseDouble(new String((byte[]) flat.get(i + 1), StandardCharsets.UTF_8));
        }
      }
      if (!Long.toString(codesChecksum(codes)).equals(text(m, "codesCrc"))) {
        throw new StoreException(location + ": damaged LSH tables: their codes fail their checksum; rebuild them "
            + "with index --lsh");
      }
      byte[] c = m.get("center");
      if (c == null || c.length != 4 * snapshot.vectors().dim()) {
        throw new StoreException(location + ": corrupt LSH tables: the stored center does not have dimension "
            + snapshot.vectors().dim() + "; rebuild it with index --lsh");
      }
      float[] center = new float[snapshot.vectors().dim()];
      ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(center);
      return Optional.of(new StoredLsh(p, codes, center));
    } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
      throw new StoreException(location + ": corrupt LSH tables: " + e.getMessage() + "; rebuild them with index --lsh",
          e);
    }
  }

  private static long lshChecksum(Map<byte[], byte[]> sortedFields) {
    CRC32C c = new CRC32C();
    for (Map.Entry<byte[], byte[]> e : sortedFields.entrySet()) {
      c.update(e.getKey());
      c.update(0);
      c.update(e.getValue());
      c.update(0);
    }
    return c.getValue();
  }

  private static String text(Map<String, byte[]> m, String key) {
    byte[] v = m.get(key);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static void put(Map<byte[], byte[]> fields, String key, String value) {
    fields.put(bytes(key), bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Override
  public CheckReport check() throws StoreException {
    return RedisCheck.read(this, raw());
  }

  @Override
  public int repair(CheckReport report) throws StoreException {
    requireWritable();
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(report.lshDamaged() ? "1" : "0"));
    args.add(bytes(report.ivfDamaged() ? "1" : "0"));
    for (TrackRecord t : report.damagedTracks()) {
      args.add(bytes(Long.toString(t.id())));
    }
    List<String> keys = new ArrayList<>(List.of(paths, tracks, vectors, version, ivf, lsh));
    for (int t = 0; t < storedTables(); t++) {
      keys.add(lshTable(t));
    }
    Object n = call(() -> redis.eval(REPAIR.getBytes(StandardCharsets.UTF_8), keys(keys.toArray(String[]::new)),
        args));
    return ((Number) n).intValue();
  }

  private void requireWritable() throws StoreException {
    if (readOnly) {
      throw new StoreException(location + ": opened read-only");
    }
  }

  private static List<byte[]> keys(String... names) {
    List<byte[]> out = new ArrayList<>();
    for (String n : names) {
      out.add(bytes(n));
    }
    return out;
  }

  private interface RedisCall<T> {
    T run() throws StoreException;
  }

  /** Runs a Redis call, turning the client's exceptions into one-line {@link StoreException}s naming the index. */
  private <T> T call(RedisCall<T> work) throws StoreException {
    try {
      return work.run();
    } catch (JedisException e) {
      throw new StoreException(location + ": " + describe(e), e);
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
