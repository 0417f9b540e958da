package org.rhythmsearch.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.rhythmsearch.audio.Tags;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.index.VectorEncoding;

/**
 * The binary values a {@link RedisStore} keeps, little-endian, each closed by a CRC32C of its bytes:
 *
 * <ul>
 *   <li>a track record ({@code "RST1"}, size, mtime, duration, excerpts, path, hash, problem, then title,
 *       artist and album, which a record written before tags were kept does not have (a reader of that time
 *       ignores them); the id is the hash field it is stored under);</li>
 *   <li>a track's vectors ({@code "RSV1"}, the track's path, so that vectors stored under another id are
 *       noticed, the count and dimension, then per excerpt start and tempo as float64 and the vector as
 *       float32; or {@code "RSV2"}, the same with start and tempo as float32 and the vector as int8 codes
 *       with its mid and step, {@link VectorEncoding#INT8}).</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class RedisCodec {

  private static final int RECORD_MAGIC = 0x31545352; // "RST1"
  private static final int VECTORS_MAGIC = 0x31565352; // "RSV1"
  private static final int VECTORS_INT8_MAGIC = 0x32565352; // "RSV2"

  private RedisCodec() {}

  static byte[] record(TrackRecord t, int excerpts) {
    byte[] path = utf8(t.path());
    byte[] hash = utf8(t.hash());
    byte[] problem = t.problem() == null ? null : utf8(t.problem());
    byte[][] tags = {utf8OrNull(t.tags().title()), utf8OrNull(t.tags().artist()), utf8OrNull(t.tags().album())};
    int tagBytes = 0;
    for (byte[] tag : tags) {
      tagBytes += 4 + (tag == null ? 0 : tag.length);
    }
    ByteBuffer b = buffer(4 + 8 + 8 + 8 + 4 + 4 + path.length + 4 + hash.length + 4
        + (problem == null ? 0 : problem.length) + (t.tags().isEmpty() ? 0 : tagBytes) + 4);
    b.putInt(RECORD_MAGIC).putLong(t.size()).putLong(t.mtimeMillis()).putDouble(t.durationSeconds()).putInt(excerpts);
    putBytes(b, path);
    putBytes(b, hash);
    putBytes(b, problem);
    if (!t.tags().isEmpty()) {
      for (byte[] tag : tags) {
        putBytes(b, tag);
      }
    }
    return sealed(b);
  }

  /**
   * The record stored under {@code id}.
   *
   * @throws IllegalArgumentException when the bytes are not a whole record or fail their checksum
   */
  static TrackRecord record(long id, byte[] bytes) {
    ByteBuffer b = opened(bytes, RECORD_MAGIC, "track record");
    long size = b.getLong();
    long mtime = b.getLong();
    double duration = b.getDouble();
    int excerpts = b.getInt();
    String path = string(b);
    String hash = string(b);
    String problem = string(b);
    if (path == null || hash == null || excerpts < 0) {
      throw new IllegalArgumentException("track record without a path or hash");
    }
    Tags tags = b.hasRemaining() ? new Tags(string(b), string(b), string(b)) : Tags.NONE;
    return new TrackRecord(id, path, size, mtime, hash, duration, excerpts, problem, tags);
  }

  /**
   * A track's vectors as stored: {@code "RSV1"} (float32: start and tempo as float64, then the values) or
   * {@code "RSV2"} (int8: start and tempo as float32, which is what a snapshot keeps, then the row as {@link
   * VectorEncoding#INT8} stores it).
   */
  static byte[] vectors(String path, List<ExcerptVector> excerpts, int dim, VectorEncoding encoding) {
    byte[] p = utf8(path);
    boolean compact = encoding == VectorEncoding.INT8;
    ByteBuffer b = buffer(4 + 4 + p.length + 4 + 4 + excerpts.size() * perExcerpt(encoding, dim) + 4);
    b.putInt(compact ? VECTORS_INT8_MAGIC : VECTORS_MAGIC);
    putBytes(b, p);
    b.putInt(excerpts.size()).putInt(dim);
    for (ExcerptVector x : excerpts) {
      if (compact) {
        b.putFloat((float) x.startSeconds()).putFloat((float) x.tempoBpm()).put(encoding.encode(x.vector()));
      } else {
        b.putDouble(x.startSeconds()).putDouble(x.tempoBpm());
        for (float v : x.vector()) {
          b.putFloat(v);
        }
      }
    }
    return sealed(b);
  }

  private static int perExcerpt(VectorEncoding encoding, int dim) {
    return (encoding == VectorEncoding.INT8 ? 8 : 16) + encoding.bytes(dim);
  }

  /** A track's stored vectors: starts, tempi, and each row's stored bytes in the encoding named. */
  record Vectors(String path, double[] starts, double[] tempi, VectorEncoding encoding, byte[][] rows) {
    int count() {
      return starts.length;
    }

    /** Excerpt {@code i} with its values. */
    ExcerptVector excerpt(int i, int dim) {
      return new ExcerptVector(starts[i], encoding.decode(rows[i], dim), tempi[i]);
    }
  }

  /**
   * The vectors stored under one id, which must be of dimension {@code dim}; their values are checked
   * (finite) only when decoded.
   *
   * @throws IllegalArgumentException when the bytes are not whole, fail their checksum or have another dimension
   */
  static Vectors vectors(byte[] bytes, int dim) {
    boolean compact = bytes != null && bytes.length >= 4
        && ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == VECTORS_INT8_MAGIC;
    VectorEncoding encoding = compact ? VectorEncoding.INT8 : VectorEncoding.FLOAT32;
    ByteBuffer b = opened(bytes, compact ? VECTORS_INT8_MAGIC : VECTORS_MAGIC, "vectors");
    String path = string(b);
    int count = b.getInt();
    int d = b.getInt();
    if (path == null || d != dim || count < 0 || (long) count * perExcerpt(encoding, dim) != b.remaining()) {
      throw new IllegalArgumentException("vectors of dimension " + d + " (" + count + " of them) where the index holds "
          + "dimension " + dim);
    }
    double[] starts = new double[count];
    double[] tempi = new double[count];
    byte[][] rows = new byte[count][encoding.bytes(dim)];
    for (int i = 0; i < count; i++) {
      starts[i] = compact ? b.getFloat() : b.getDouble();
      tempi[i] = compact ? b.getFloat() : b.getDouble();
      b.get(rows[i]);
    }
    return new Vectors(path, starts, tempi, encoding, rows);
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] sealed(ByteBuffer b) {
    CRC32C c = new CRC32C();
    c.update(b.array(), 0, b.position());
    b.putInt((int) c.getValue());
    return b.array();
  }

  /** The bytes after the magic, checked: length, magic and checksum; the checksum is cut off. */
  private static ByteBuffer opened(byte[] bytes, int magic, String what) {
    if (bytes == null || bytes.length < 8) {
      throw new IllegalArgumentException(what + " of " + (bytes == null ? 0 : bytes.length) + " bytes");
    }
    CRC32C c = new CRC32C();
    c.update(bytes, 0, bytes.length - 4);
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, bytes.length - 4).order(ByteOrder.LITTLE_ENDIAN);
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (b.getInt() != magic) {
      throw new IllegalArgumentException(what + " in an unknown format");
    }
    if (stored != (int) c.getValue()) {
      throw new IllegalArgumentException(what + " failing its checksum");
    }
    return b.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8OrNull(String s) {
    return s == null ? null : utf8(s);
  }

  private static void putBytes(ByteBuffer b, byte[] s) {
    if (s == null) {
      b.putInt(-1);
    } else {
      b.putInt(s.length).put(s);
    }
  }

  private static String string(ByteBuffer b) {
    try {
      int n = b.getInt();
      if (n < 0) {
        return null;
      }
      if (n > b.remaining()) {
        throw new IllegalArgumentException("a string of " + n + " bytes where " + b.remaining() + " remain");
      }
      byte[] s = new byte[n];
      b.get(s);
      return new String(s, StandardCharsets.UTF_8);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("cut short", e);
    }
  }
}
