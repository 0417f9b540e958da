package org.rhythmsearch.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The title, artist and album a file's tags give, for names people recognise: ID3v2 (2.2 to 2.4) and
 * ID3v1 in MP3 (and at the head of any file), Vorbis comments in Ogg Vorbis, Ogg Opus and FLAC, and
 * RIFF INFO in WAV. Each value is cleaned for one line of text (control characters become spaces,
 * at most {@value #MAX_LENGTH} characters); a missing value is null.
 *
 * @param title the track's title, or null
 * @param artist its artist, or null
 * @param album its album, or null
 */
public record Tags(String title, String artist, String album) implements java.io.Serializable {

  /** No tags. */
  public static final Tags NONE = new Tags(null, null, null);

  /** Longest value kept, characters. */
  public static final int MAX_LENGTH = 200;

  /** Largest tag block read (a tag with embedded pictures beyond it is skipped). */
  private static final int MAX_TAG_BYTES = 16 << 20;

  public Tags {
    title = clean(title);
    artist = clean(artist);
    album = clean(album);
  }

  /** Whether no value is known. */
  public boolean isEmpty() {
    return title == null && artist == null && album == null;
  }

  /** "Artist - Title", or the title alone, or null without a title. */
  public String display() {
    return title == null ? null : artist == null ? title : artist + " - " + title;
  }

  /**
   * The tags of {@code file}, {@link #NONE} when it has none this reader knows or they cannot be read
   * (a tag is never a reason to refuse a file: decoding decides that).
   */
  public static Tags read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] head = read(ch, 0, 12);
      if (head.length < 12) {
        return NONE;
      }
      String magic = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
      if (magic.equals("fLaC")) {
        return flac(ch, 4);
      }
      if (magic.startsWith("ID3")) {
        Tags id3 = id3v2(ch);
        long after = 10 + syncsafe(head, 6);
        byte[] next = read(ch, after, 4);
        if (next.length == 4 && new String(next, StandardCharsets.ISO_8859_1).equals("fLaC")) {
          Tags f = flac(ch, after + 4);
          return f.isEmpty() ? id3 : f;
        }
        return id3.isEmpty() ? id3v1(ch) : id3;
      }
      if (magic.equals("OggS")) {
        return ogg(file);
      }
      if (magic.equals("RIFF") && new String(head, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) {
        return riffInfo(ch);
      }
      return id3v1(ch);
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }

  private static String clean(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c));
    String t = b.toString().replaceAll(" {2,}", " ").strip();
    if (t.length() > MAX_LENGTH) {
      t = t.substring(0, Character.isHighSurrogate(t.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH);
    }
    return t.isEmpty() ? null : t;
  }

  private static byte[] read(FileChannel ch, long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(n, ch.size() - at)));
    while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
      // until full or the end
    }
    return b.position() == b.capacity() ? b.array() : java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static int syncsafe(byte[] b, int at) {
    return (b[at] & 0x7f) << 21 | (b[at + 1] & 0x7f) << 14 | (b[at + 2] & 0x7f) << 7 | b[at + 3] & 0x7f;
  }

  private static int bigEndian(byte[] b, int at, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 8 | b[at + i] & 0xff;
    }
    return v;
  }

  /** ID3v2.2, 2.3 or 2.4 at the head of the file: TIT2/TPE1/TALB (2.2: TT2/TP1/TAL). */
  private static Tags id3v2(FileChannel ch) throws IOException {
    byte[] h = read(ch, 0, 10);
    int version = h[3];
    int flags = h[5];
    int size = syncsafe(h, 6);
    if (version < 2 || version > 4 || size > MAX_TAG_BYTES) {
      return NONE;
    }
    byte[] tag = read(ch, 10, size);
    if ((flags & 0x80) != 0 && version < 4) {
      tag = unsynchronised(tag);
    }
    int p = 0;
    if ((flags & 0x40) != 0 && version >= 3) { // extended header
      p = version == 3 ? 4 + bigEndian(tag, 0, 4) : syncsafe(tag, 0);
    }
    int idLength = version == 2 ? 3 : 4;
    int headerLength = version == 2 ? 6 : 10;
    String title = null;
    String artist = null;
    String album = null;
    while (p + headerLength <= tag.length && tag[p] != 0) {
      String id = new String(tag, p, idLength, StandardCharsets.ISO_8859_1);
      int n = version == 2 ? bigEndian(tag, p + 3, 3) : version == 3 ? bigEndian(tag, p + 4, 4) : syncsafe(tag, p + 4);
      int frameFlags = version == 2 ? 0 : tag[p + 9];
      int start = p + headerLength;
      if (n < 0 || start + n > tag.length) {
        break;
      }
      byte[] data = java.util.Arrays.copyOfRange(tag, start, start + n);
      if (version == 4 && (frameFlags & 0x02) != 0) {
        data = unsynchronised(data);
      }
      boolean plain = version < 4 || (frameFlags & 0x0d) == 0; // not compressed, encrypted or with a length prefix
      if (plain && data.length > 0) {
        switch (id) {
          case "TIT2", "TT2" -> title = id3Text(data);
          case "TPE1", "TP1" -> artist = id3Text(data);
          case "TALB", "TAL" -> album = id3Text(data);
          default -> { }
        }
      }
      p = start + n;
    }
    return new Tags(title, artist, album);
  }

  private static byte[] unsynchronised(byte[] b) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
    for (int i = 0; i < b.length; i++) {
      out.write(b[i]);
      if ((b[i] & 0xff) == 0xff && i + 1 < b.length && b[i + 1] == 0) {
        i++;
      }
    }
    return out.toByteArray();
  }

  /** A text frame's first value: encoding byte, then the text (values separated by a terminator). */
  private static String id3Text(byte[] data) {
    Charset cs = switch (data[0]) {
      case 1 -> StandardCharsets.UTF_16; // with a byte-order mark
      case 2 -> StandardCharsets.UTF_16BE;
      case 3 -> StandardCharsets.UTF_8;
      default -> StandardCharsets.ISO_8859_1;
    };
    String s = new String(data, 1, data.length - 1, cs);
    int end = s.indexOf('\0');
    return end >= 0 ? s.substring(0, end) : s;
  }

  /** ID3v1: the last 128 bytes, "TAG", then title, artist and album of 30 bytes each. */
  private static Tags id3v1(FileChannel ch) throws IOException {
    if (ch.size() < 128) {
      return NONE;
    }
    byte[] t = read(ch, ch.size() - 128, 128);
    if (t[0] != 'T' || t[1] != 'A' || t[2] != 'G') {
      return NONE;
    }
    return new Tags(latin1(t, 3, 30), latin1(t, 33, 30), latin1(t, 63, 30));
  }

  private static String latin1(byte[] b, int at, int n) {
    int end = at;
    while (end < at + n && b[end] != 0) {
      end++;
    }
    return new String(b, at, end - at, StandardCharsets.ISO_8859_1);
  }

  /** A RIFF INFO value: UTF-8 when it is valid UTF-8 (most writers today), else ISO-8859-1; to the first NUL. */
  private static String utf8OrLatin1(byte[] b, int at, int n) {
    int end = at;
    while (end < at + n && b[end] != 0) {
      end++;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, at, end - at)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(b, at, end - at, StandardCharsets.ISO_8859_1);
    }
  }

  /** FLAC metadata blocks from {@code at} (after "fLaC"): the VORBIS_COMMENT block (type 4). */
  private static Tags flac(FileChannel ch, long at) throws IOException {
    for (int blocks = 0; blocks < 128; blocks++) {
      byte[] h = read(ch, at, 4);
      if (h.length < 4) {
        return NONE;
      }
      int type = h[0] & 0x7f;
      int n = bigEndian(h, 1, 3);
      if (type == 4) {
        return n > MAX_TAG_BYTES ? NONE : vorbisComment(ByteBuffer.wrap(read(ch, at + 4, n)));
      }
      if ((h[0] & 0x80) != 0) {
        return NONE;
      }
      at += 4 + n;
    }
    return NONE;
  }

  /** A Vorbis comment block: vendor string, then {@code KEY=value} entries (little-endian lengths). */
  private static Tags vorbisComment(ByteBuffer b) {
    b.order(ByteOrder.LITTLE_ENDIAN);
    int vendor = b.getInt();
    b.position(b.position() + vendor);
    int count = b.getInt();
    String title = null;
    String artist = null;
    String album = null;
    for (int i = 0; i < count && b.remaining() >= 4; i++) {
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) {
        break;
      }
      String entry = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
      b.position(b.position() + n);
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = entry.substring(eq + 1);
      switch (entry.substring(0, eq).toUpperCase(Locale.ROOT)) {
        case "TITLE" -> title = title == null ? value : title;
        case "ARTIST" -> artist = artist == null ? value : artist;
        case "ALBUM" -> album = album == null ? value : album;
        default -> { }
      }
    }
    return new Tags(title, artist, album);
  }

  /** Ogg: the second packet of the first stream, Vorbis's comment header or Opus's OpusTags. */
  private static Tags ogg(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      OggPackets packets = new OggPackets(in);
      if (!packets.next() || !packets.next()) {
        return NONE;
      }
      var p = packets.packet();
      byte[] data = java.util.Arrays.copyOfRange(p.packet_base, p.packet, p.packet + p.bytes);
      String head = new String(data, 0, Math.min(8, data.length), StandardCharsets.ISO_8859_1);
      if (head.startsWith("\3vorbis")) {
        return vorbisComment(ByteBuffer.wrap(data, 7, data.length - 7).slice());
      }
      if (head.equals("OpusTags")) {
        return vorbisComment(ByteBuffer.wrap(data, 8, data.length - 8).slice());
      }
      return NONE;
    }
  }

  /** WAV: the {@code LIST} chunk of type {@code INFO}: INAM (title), IART (artist), IPRD (album). */
  private static Tags riffInfo(FileChannel ch) throws IOException {
    long at = 12;
    for (int chunks = 0; chunks < 1024 && at + 8 <= ch.size(); chunks++) {
      byte[] h = read(ch, at, 8);
      String id = new String(h, 0, 4, StandardCharsets.ISO_8859_1);
      long n = ByteBuffer.wrap(h, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
      if (id.equals("LIST") && n >= 4 && n <= MAX_TAG_BYTES) {
        byte[] list = read(ch, at + 8, (int) n);
        if (list.length >= 4 && new String(list, 0, 4, StandardCharsets.ISO_8859_1).equals("INFO")) {
          return info(ByteBuffer.wrap(list, 4, list.length - 4).slice().order(ByteOrder.LITTLE_ENDIAN));
        }
      }
      at += 8 + n + (n & 1);
    }
    return NONE;
  }

  private static Tags info(ByteBuffer b) {
    String title = null;
    String artist = null;
    String album = null;
    while (b.remaining() >= 8) {
      byte[] id = new byte[4];
      b.get(id);
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) {
        break;
      }
      String value = utf8OrLatin1(b.array(), b.arrayOffset() + b.position(), n);
      b.position(Math.min(b.limit(), b.position() + n + (n & 1)));
      switch (new String(id, StandardCharsets.ISO_8859_1)) {
        case "INAM" -> title = value;
        case "IART" -> artist = value;
        case "IPRD" -> album = value;
        default -> { }
      }
    }
    return new Tags(title, artist, album);
  }
}
