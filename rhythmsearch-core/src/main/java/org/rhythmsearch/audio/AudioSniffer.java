package org.rhythmsearch.audio;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rhythmsearch.audio.AudioDecodeException.Reason;

/**
 * Recognises an audio container from its magic bytes, so that a file's content, not its extension,
 * picks the decoder, and so that unsupported codecs and non-audio files get a precise error before
 * a permissive decoder (notably the MP3 one, which resynchronises on any 0xFFE bit pattern) can
 * misread them. Also reads what the headers declare: length (to detect truncation), and for MP3
 * the LAME/Info tag's encoder delay (for sample-accurate alignment).
 *
 * <p>Stateless; thread-safe.
 */
final class AudioSniffer {

  /**
   * Samples of delay added by an MPEG Layer III decoder's synthesis filter bank (528 + 1), as
   * documented by LAME's gapless-playback notes; jlayer exhibits the same delay.
   */
  static final int MP3_DECODER_DELAY = 529;

  private static final int HEAD_BYTES = 64 * 1024;
  private static final int TAIL_BYTES = 64 * 1024;

  private AudioSniffer() {}

  static SniffedFile sniff(Path file) throws AudioDecodeException {
    if (Files.isDirectory(file)) {
      throw new AudioDecodeException(file, Reason.UNREADABLE, "a folder, not an audio file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // opening a FIFO waits for a writer, for ever: such inputs are refused before they are opened
      throw new AudioDecodeException(file, Reason.UNREADABLE,
          "not a regular file (a pipe, FIFO or device); save the audio to a file first");
    }
    long size;
    byte[] head;
    byte[] tail;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      size = raf.length();
      if (size == 0) {
        throw new AudioDecodeException(file, Reason.EMPTY, null);
      }
      head = readAt(raf, 0, (int) Math.min(size, HEAD_BYTES));
      long tailStart = Math.max(0, size - TAIL_BYTES);
      tail = readAt(raf, tailStart, (int) (size - tailStart));
    } catch (AudioDecodeException e) {
      throw e;
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new AudioDecodeException(file, Reason.UNREADABLE, "no such file", e);
      }
      throw new AudioDecodeException(file, Reason.UNREADABLE, e.getMessage(), e);
    }
    if (startsWith(head, 0, "RIFF") && startsWith(head, 8, "WAVE")
        || startsWith(head, 0, "RF64") && startsWith(head, 8, "WAVE")) {
      return sniffWav(file, head);
    }
    if (startsWith(head, 0, "FORM") && (startsWith(head, 8, "AIFF") || startsWith(head, 8, "AIFC"))) {
      return new SniffedFile(Container.AIFF, -1, 0, false);
    }
    if (startsWith(head, 0, ".snd")) {
      return new SniffedFile(Container.AU, -1, 0, false);
    }
    if (startsWith(head, 0, "OggS")) {
      return sniffOgg(file, head, tail);
    }
    if (head.length >= 8 && startsWith(head, 4, "ftyp")) {
      throw new AudioDecodeException(file, Reason.UNSUPPORTED_CODEC, "MP4/M4A container (AAC or ALAC)");
    }
    if (startsWith(head, 0, "wvpk") || startsWith(head, 0, "MAC ") || startsWith(head, 0, "MThd")) {
      throw new AudioDecodeException(
          file, Reason.UNSUPPORTED_CODEC, "container '" + new String(head, 0, 4, ISO_8859_1).trim() + "'");
    }
    int pos = skipId3v2(head);
    if (pos >= head.length && pos < size) {
      // a huge ID3 tag (embedded cover art): re-read the bytes after it
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        head = readAt(raf, pos, (int) Math.min(size - pos, HEAD_BYTES));
        pos = 0;
      } catch (IOException e) {
        throw new AudioDecodeException(file, Reason.UNREADABLE, e.getMessage(), e);
      }
    }
    if (startsWith(head, pos, "fLaC")) {
      return sniffFlac(file, head, pos);
    }
    SniffedFile mp3 = sniffMp3(head, pos);
    if (mp3 != null) {
      return mp3;
    }
    throw new AudioDecodeException(
        file, Reason.NOT_AUDIO, "no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found");
  }

  private static SniffedFile sniffWav(Path file, byte[] head) throws AudioDecodeException {
    int pos = 12;
    while (pos + 8 <= head.length) {
      String id = new String(head, pos, 4, ISO_8859_1);
      long chunkSize = le32(head, pos + 4);
      if (id.equals("fmt ")) {
        if (pos + 8 + 16 > head.length) {
          break;
        }
        int tag = le16(head, pos + 8);
        if (tag == 0xFFFE && pos + 8 + 26 <= head.length) {
          tag = le16(head, pos + 8 + 24); // first two bytes of the sub-format GUID
        }
        if (tag != 1 && tag != 3 && tag != 6 && tag != 7) {
          throw new AudioDecodeException(file, Reason.UNSUPPORTED_CODEC, String.format(
              "WAV format tag 0x%04X (%s); supported: PCM, IEEE float, A-law, mu-law", tag, wavCodecName(tag)));
        }
        return new SniffedFile(Container.WAV, -1, 0, false);
      }
      long next = pos + 8L + chunkSize + (chunkSize & 1); // long: a huge chunk size must end the walk, not wrap
      if (next + 8 > head.length) {
        break;
      }
      pos = (int) next;
    }
    throw new AudioDecodeException(file, Reason.TRUNCATED, "WAV file has no 'fmt ' chunk in its first bytes");
  }

  private static String wavCodecName(int tag) {
    return switch (tag) {
      case 0x0002 -> "MS ADPCM";
      case 0x0011 -> "IMA ADPCM";
      case 0x0031 -> "GSM 6.10";
      case 0x0050 -> "MPEG";
      case 0x0055 -> "MP3";
      case 0x00FF, 0x1610 -> "AAC";
      default -> "unknown";
    };
  }

  private static SniffedFile sniffOgg(Path file, byte[] head, byte[] tail) throws AudioDecodeException {
    if (head.length < 28) {
      throw new AudioDecodeException(file, Reason.TRUNCATED, "OGG page header cut short");
    }
    int segments = head[26] & 0xFF;
    int packet = 27 + segments;
    if (packet + 30 > head.length) {
      throw new AudioDecodeException(file, Reason.TRUNCATED, "OGG first page cut short");
    }
    boolean opus = startsWith(head, packet, "OpusHead");
    int preSkip = 0;
    if (opus) {
      try {
        preSkip = OpusStream.OpusHead.parse(head, packet, head.length - packet).preSkip();
      } catch (java.io.IOException e) {
        throw new AudioDecodeException(file, Reason.UNSUPPORTED_CODEC, e.getMessage());
      }
    }
    if (startsWith(head, packet, "\u007fFLAC")) {
      throw new AudioDecodeException(file, Reason.UNSUPPORTED_CODEC, "FLAC in OGG; use native .flac");
    }
    if (startsWith(head, packet, "Speex")) {
      throw new AudioDecodeException(file, Reason.UNSUPPORTED_CODEC, "Speex in OGG");
    }
    if (!opus && !((head[packet] & 0xFF) == 1 && startsWith(head, packet + 1, "vorbis"))) {
      throw new AudioDecodeException(file, Reason.UNSUPPORTED_CODEC, "OGG stream is neither Vorbis nor Opus");
    }
    // The last page of a complete stream has the end-of-stream flag; its granule position is the
    // total number of samples per channel (for Opus: at 48 kHz, counting the pre-skip).
    int last = -1;
    for (int i = tail.length - 27; i >= 0; i--) {
      if (startsWith(tail, i, "OggS") && tail[i + 4] == 0) {
        last = i;
        break;
      }
    }
    boolean eos = last >= 0 && (tail[last + 5] & 0x04) != 0;
    // a chained file's last granule is its last chain's length only: the whole length is unknown
    long granule = last >= 0 && eos && !chainedOgg(file) ? le64(tail, last + 6) : -1;
    if (opus) {
      return new SniffedFile(Container.OGG_OPUS, granule >= 0 ? Math.max(0, granule - preSkip) : -1, preSkip, !eos);
    }
    return new SniffedFile(Container.OGG_VORBIS, granule, 0, !eos);
  }

  /**
   * Whether an Ogg file is chained (RFC 3533: streams one after another): a beginning-of-stream page
   * after the first stream's end, or with its serial number again ({@code cat a.ogg a.ogg}). Reads the
   * page headers only; a damaged page structure ends the walk (not chained, as far as can be told).
   */
  static boolean chainedOgg(Path file) {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      byte[] h = new byte[27 + 255];
      long pos = 0;
      long firstSerial = -1;
      boolean ended = false;
      while (pos + 27 <= len) {
        f.seek(pos);
        f.readFully(h, 0, 27);
        if (!startsWith(h, 0, "OggS")) {
          return false;
        }
        int segments = h[26] & 0xFF;
        if (pos + 27 + segments > len) {
          return false;
        }
        f.readFully(h, 27, segments);
        long body = 0;
        for (int i = 0; i < segments; i++) {
          body += h[27 + i] & 0xFF;
        }
        long serial = le32(h, 14);
        boolean bos = (h[5] & 0x02) != 0;
        if (firstSerial < 0) {
          firstSerial = serial;
        } else if (bos && (ended || serial == firstSerial)) {
          return true;
        }
        ended |= serial == firstSerial && (h[5] & 0x04) != 0;
        pos += 27 + segments + body;
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static SniffedFile sniffFlac(Path file, byte[] head, int pos) throws AudioDecodeException {
    int block = pos + 4;
    if (block + 4 + 18 > head.length) {
      throw new AudioDecodeException(file, Reason.TRUNCATED, "FLAC STREAMINFO cut short");
    }
    if ((head[block] & 0x7F) != 0) {
      throw new AudioDecodeException(file, Reason.TRUNCATED, "FLAC stream does not start with STREAMINFO");
    }
    FlacMetadata.check(file, pos + 4);
    int si = block + 4;
    long total = ((long) (head[si + 13] & 0x0F) << 32)
        | ((long) (head[si + 14] & 0xFF) << 24)
        | ((head[si + 15] & 0xFF) << 16)
        | ((head[si + 16] & 0xFF) << 8)
        | (head[si + 17] & 0xFF);
    return new SniffedFile(Container.FLAC, total == 0 ? -1 : total, 0, false);
  }

  /** Accepts MPEG audio only if two consecutive valid frame headers are found. */
  private static SniffedFile sniffMp3(byte[] head, int pos) {
    int limit = Math.min(head.length - 4, pos + 4096); // tolerate a little junk before the first frame
    for (int i = pos; i < limit; i++) {
      Mp3Header h = Mp3Header.parse(head, i);
      if (h == null) {
        continue;
      }
      int next = i + h.frameBytes();
      Mp3Header h2 = next + 4 <= head.length ? Mp3Header.parse(head, next) : null;
      boolean confirmed = h2 != null && h2.sampleRate() == h.sampleRate() && h2.layer() == h.layer();
      if (!confirmed && next + 4 <= head.length) {
        continue;
      }
      return mp3Info(head, i, h);
    }
    return null;
  }

  private static SniffedFile mp3Info(byte[] head, int frame, Mp3Header h) {
    int leading = MP3_DECODER_DELAY;
    long declared = -1;
    int x = frame + h.xingOffset();
    if (h.layer() == 3 && (startsWith(head, x, "Xing") || startsWith(head, x, "Info")) && x + 8 <= head.length) {
      // The Xing/Info frame decodes to one frame of silence.
      leading += h.samplesPerFrame();
      int flags = (int) be32(head, x + 4);
      int p = x + 8;
      long frames = -1;
      if ((flags & 1) != 0 && p + 4 <= head.length) { // a file may end inside its Xing frame
        frames = be32(head, p);
        p += 4;
      }
      if ((flags & 2) != 0) {
        p += 4;
      }
      if ((flags & 4) != 0) {
        p += 100;
      }
      if ((flags & 8) != 0) {
        p += 4;
      }
      int encDelay = 0;
      int padding = 0;
      if (p + 24 <= head.length && isTagName(head, p)) {
        int d = p + 21;
        encDelay = ((head[d] & 0xFF) << 4) | ((head[d + 1] & 0xFF) >> 4);
        padding = ((head[d + 1] & 0x0F) << 8) | (head[d + 2] & 0xFF);
      }
      leading += encDelay;
      if (frames > 0) {
        declared = Math.max(0, frames * h.samplesPerFrame() - encDelay - padding);
      }
    }
    return new SniffedFile(Container.MP3, declared, leading, false);
  }

  /** LAME-style tags start with an encoder name such as "LAME3.100" or "Lavc60.3". */
  private static boolean isTagName(byte[] b, int p) {
    for (int i = 0; i < 4; i++) {
      int c = b[p + i] & 0xFF;
      if (!(Character.isLetterOrDigit(c) || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static int skipId3v2(byte[] head) {
    int pos = 0;
    while (startsWith(head, pos, "ID3") && pos + 10 <= head.length) {
      int size = ((head[pos + 6] & 0x7F) << 21) | ((head[pos + 7] & 0x7F) << 14)
          | ((head[pos + 8] & 0x7F) << 7) | (head[pos + 9] & 0x7F);
      boolean footer = (head[pos + 5] & 0x10) != 0;
      pos += 10 + size + (footer ? 10 : 0);
    }
    return pos;
  }

  static byte[] readAt(RandomAccessFile raf, long pos, int len) throws IOException {
    byte[] b = new byte[len];
    raf.seek(pos);
    raf.readFully(b);
    return b;
  }

  static boolean startsWith(byte[] b, int pos, String magic) {
    if (pos < 0 || pos + magic.length() > b.length) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if ((b[pos + i] & 0xFF) != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int le16(byte[] b, int p) {
    return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
  }

  static long le32(byte[] b, int p) {
    return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
  }

  private static long le64(byte[] b, int p) {
    return le32(b, p) | le32(b, p + 4) << 32;
  }

  private static long be32(byte[] b, int p) {
    return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
  }
}
