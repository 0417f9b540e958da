package org.rhythmsearch.store;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.VectorEncoding;

/**
 * Opens a {@link VectorStore} from where a user says it is: {@code redis://HOST:PORT[/PREFIX]} (or
 * {@code rediss://}) is a {@link RedisStore}; anything else is an SQLite file path ({@link SqliteStore}).
 */
public final class Stores {

  private Stores() {}

  /** The environment variable that holds the password of a Redis index. */
  public static final String PASSWORD_ENV = RedisStore.PASSWORD_ENV;

  /**
   * Whether {@code location} names an index on a server (Redis), shared by every process that names it,
   * rather than a file.
   */
  public static boolean isServer(String location) {
    return RedisStore.isLocation(location);
  }

  /**
   * Opens the index at {@code location} for writing. An existing index keeps its own feature
   * configuration and refuses another {@code feature}; a new one (no file yet, or an empty file) is created
   * with {@code feature}, or the default ({@link FeatureConfigs#DEFAULT}) when that is null.
   */
  public static VectorStore open(String location, FeatureConfig feature) throws StoreException {
    return open(location, feature, null);
  }

  /**
   * As {@link #open(String, FeatureConfig)}, a new index holding its vectors as {@code vectors} (null: {@link
   * VectorEncoding#DEFAULT}); an existing index that holds them otherwise than a given {@code vectors} is
   * refused (its vectors are never re-encoded).
   */
  public static VectorStore open(String location, FeatureConfig feature, VectorEncoding vectors)
      throws StoreException {
    if (RedisStore.isLocation(location)) {
      return RedisStore.open(location, feature, vectors);
    }
    Path file = Path.of(location);
    if (feature == null && Files.isRegularFile(file) && size(file) > 0) {
      VectorStore existing = SqliteStore.openExisting(file);
      if (vectors != null && existing.encoding() != vectors) {
        existing.close();
        throw new StoreException(file + ": index holds its vectors as " + existing.encoding().id() + ", not "
            + vectors.id() + " (leave the choice out to add to it, or use a new index file)");
      }
      return existing;
    }
    return SqliteStore.open(file, feature == null ? FeatureConfigs.DEFAULT : feature, vectors);
  }

  private static long size(Path file) throws StoreException {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new StoreException(file + ": cannot read the index file: " + e.getMessage(), e);
    }
  }

  /** Opens an existing index with the feature configuration it was built with, for reading and writing. */
  public static VectorStore openExisting(String location) throws StoreException {
    if (RedisStore.isLocation(location)) {
      return RedisStore.openExisting(location);
    }
    return SqliteStore.openExisting(Path.of(location));
  }

  /**
   * Opens an existing index for reading only: the file is never changed, and an index the user may
   * read but not write (or in a folder they cannot write) is read.
   */
  public static VectorStore openReadOnly(String location) throws StoreException {
    if (RedisStore.isLocation(location)) {
      return RedisStore.openReadOnly(location);
    }
    return SqliteStore.openReadOnly(Path.of(location));
  }
}
