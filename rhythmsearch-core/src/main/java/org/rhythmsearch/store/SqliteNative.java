package org.rhythmsearch.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where SQLite's native library is loaded from. By itself the JDBC driver copies its library out of
 * its jar into the temporary folder on every start and loads that copy (about 90 ms of a 0.5-s
 * {@code ls}); {@link #useCacheIn} keeps one copy in a cache folder, named after the driver's jar and
 * checked by size, and points the driver at it.
 *
 * <p>Stateless; call before the first SQLite connection.
 */
public final class SqliteNative {

  private SqliteNative() {}

  /**
   * Points the SQLite driver at a copy of its native library in {@code dir}, made now if missing or of
   * another size (written beside and moved in whole, so concurrent starts never load a partial file).
   * Does nothing when the driver's library for this platform is not found, or {@code dir} cannot be
   * written: the driver then does as it always does.
   */
  public static void useCacheIn(Path dir) {
    if (System.getProperty("org.sqlite.lib.path") != null) {
      return; // told already
    }
    try {
      String resource = "org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS() + "/"
          + System.mapLibraryName("sqlitejdbc");
      URL url = SqliteNative.class.getClassLoader().getResource(resource);
      if (url == null) {
        return;
      }
      URLConnection c = url.openConnection();
      c.setUseCaches(true);
      long size = c.getContentLengthLong();
      String jar = url.getPath().replaceAll("!.*$", "").replaceAll("^.*/", "").replaceAll("[^A-Za-z0-9._-]", "_");
      String name = jar + "-" + resource.replaceAll("[^A-Za-z0-9._-]", "_");
      Path cached = dir.resolve(name);
      if (!Files.isRegularFile(cached) || Files.size(cached) != size) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        try (InputStream in = c.getInputStream()) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
      System.setProperty("org.sqlite.lib.name", name);
    } catch (IOException | RuntimeException | LinkageError e) {
      // no cache: the driver extracts its library as usual
    }
  }
}
