package org.rhythmsearch.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Uploaded query files, kept under random tokens in a private temporary folder so the page can play
 * and plot the query's excerpts after the query; only the most recent {@code capacity} are kept, and
 * all are deleted on {@link #close}. A token is the only way to reach an upload: no name or path the
 * client sends touches the file system.
 *
 * <p>Thread-safe.
 */
final class Uploads implements AutoCloseable {

  /** One stored upload. */
  record Upload(String token, String name, Path file) {}

  private final Path dir;
  private final int capacity;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Upload> byToken = new LinkedHashMap<>(16, 0.75f, true);

  Uploads(int capacity) throws IOException {
    this.dir = Files.createTempDirectory("rhythmsearch-uploads-");
    this.capacity = capacity;
  }

  /**
   * Stores {@code in} (at most {@code limit} bytes) as an upload named {@code name} (kept for messages;
   * only its extension, if plain, is used for the stored file).
   *
   * @throws ApiError 413 when the stream is longer than {@code limit}
   */
  Upload store(InputStream in, String name, long limit) throws IOException {
    byte[] id = new byte[16];
    random.nextBytes(id);
    String token = HexFormat.of().formatHex(id);
    String ext = extension(name);
    Path file = dir.resolve(token + ext);
    long n = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        n += r;
        if (n > limit) {
          throw new ApiError(413, "audio: the upload is larger than the limit of " + limit + " bytes");
        }
        out.write(buf, 0, r);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    Upload u = new Upload(token, name == null || name.isBlank() ? "upload" + ext : name, file);
    Upload evicted = null;
    synchronized (byToken) {
      byToken.put(token, u);
      if (byToken.size() > capacity) {
        var it = byToken.values().iterator();
        evicted = it.next();
        it.remove();
      }
    }
    if (evicted != null) {
      Files.deleteIfExists(evicted.file());
    }
    return u;
  }

  Optional<Upload> get(String token) {
    synchronized (byToken) {
      return Optional.ofNullable(byToken.get(token));
    }
  }

  private static String extension(String name) {
    if (name == null) {
      return "";
    }
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    return ext.matches("\\.[a-z0-9]{1,5}") ? ext : "";
  }

  @Override
  public void close() throws IOException {
    synchronized (byToken) {
      for (Upload u : byToken.values()) {
        Files.deleteIfExists(u.file());
      }
      byToken.clear();
    }
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }
}
