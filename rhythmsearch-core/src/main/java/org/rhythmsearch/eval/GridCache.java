package org.rhythmsearch.eval;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.rhythmsearch.features.FeatureConfig;

/**
 * A folder of the evaluation's grid excerpts per audio file ({@code eval --cache DIR}), so that runs
 * which only change how excerpts are compared (alignment, hub reduction, k) do not decode and extract
 * again. An entry is keyed by the file's absolute path, size and modification time and by the feature
 * configuration's parameters and the grid: a changed file or another feature misses and is extracted
 * anew. Entries are written to a temporary file and moved into place; one that cannot be read (torn,
 * foreign, another format) counts as a miss and is replaced.
 *
 * <p>Thread-safe: entries are separate files, written atomically.
 */
final class GridCache {

  private static final int MAGIC = 0x52534743; // "RSGC"
  private static final int FORMAT = 1;

  private final Path dir;
  private final FeatureConfig config;

  GridCache(Path dir, FeatureConfig config) {
    this.dir = dir;
    this.config = config;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the cache folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The entry's file for {@code audio} (the key hashed), or null when the file cannot be read. */
  private Path entry(Path audio) {
    try {
      BasicFileAttributes a = Files.readAttributes(audio, BasicFileAttributes.class);
      String key = audio.toAbsolutePath().normalize() + "\n" + a.size() + "\n" + a.lastModifiedTime().toMillis() + "\n"
          + config.parameters() + "\n" + SeedEvaluation.FIRST_OFFSET + "/" + SeedEvaluation.GRID;
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".grid");
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cached song of {@code audio}, or null on a miss. */
  Song get(Path audio) {
    Path f = entry(audio);
    if (f == null || !Files.isRegularFile(f)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readInt() != config.dimension()) {
        return null;
      }
      double seconds = in.readDouble();
      int n = in.readInt();
      List<float[]> vectors = new ArrayList<>(n);
      List<Double> tempi = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        tempi.add(in.readDouble());
        if (in.readBoolean()) {
          float[] v = new float[config.dimension()];
          for (int j = 0; j < v.length; j++) {
            v[j] = in.readFloat();
          }
          vectors.add(v);
        } else {
          vectors.add(null);
        }
      }
      if (in.read() != -1) {
        return null; // trailing bytes: not an entry this code wrote
      }
      return new Song(audio.toString(), vectors, tempi, seconds);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Stores {@code song} as the entry of {@code audio}; a failure to write only loses the entry. */
  void put(Path audio, Song song) {
    Path f = entry(audio);
    if (f == null) {
      return;
    }
    Path tmp = f.resolveSibling(f.getFileName() + "." + Thread.currentThread().getId() + ".tmp");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(config.dimension());
        out.writeDouble(song.audioSeconds());
        out.writeInt(song.vectors().size());
        for (int i = 0; i < song.vectors().size(); i++) {
          out.writeDouble(song.tempi().get(i));
          float[] v = song.vectors().get(i);
          out.writeBoolean(v != null);
          if (v != null) {
            for (float x : v) {
              out.writeFloat(x);
            }
          }
        }
      }
      try {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the entry is lost either way
      }
    }
  }
}
