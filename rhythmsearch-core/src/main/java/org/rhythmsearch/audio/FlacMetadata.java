package org.rhythmsearch.audio;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.rhythmsearch.audio.AudioDecodeException.Reason;

/** The sniffer's check of a FLAC file's metadata blocks before the decoder trusts their lengths ({@link AudioSniffer}). */
final class FlacMetadata {

  private FlacMetadata() {}

  /**
   * Walks a FLAC file's metadata blocks from {@code at} and refuses one that claims more bytes than the
   * file holds, or (Vorbis comments, pictures) whose inner lengths and counts exceed its block: the FLAC
   * decoder allocates what they claim before reading.
   */
  static void check(Path file, long at) throws AudioDecodeException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long size = f.length();
      for (int n = 0; ; n++) {
        if (at + 4 > size) {
          throw new AudioDecodeException(file, Reason.TRUNCATED, "FLAC file ends inside its metadata");
        }
        byte[] h = AudioSniffer.readAt(f, at, 4);
        int type = h[0] & 0x7F;
        long length = ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
        if (at + 4 + length > size) {
          throw new AudioDecodeException(file, Reason.TRUNCATED, String.format(
              "FLAC metadata block %d (type %d) claims %d bytes but only %d remain in the file", n, type, length,
              size - at - 4));
        }
        if (type == 4 || type == 6) {
          byte[] b = AudioSniffer.readAt(f, at + 4, (int) length);
          if (!(type == 4 ? vorbisCommentFits(b) : pictureFits(b))) {
            throw new AudioDecodeException(file, Reason.TRUNCATED, "FLAC " + (type == 4 ? "Vorbis comment" : "picture")
                + " block has lengths or counts larger than the block");
          }
        }
        if ((h[0] & 0x80) != 0) {
          return; // the last metadata block
        }
        at += 4 + length;
      }
    } catch (AudioDecodeException e) {
      throw e;
    } catch (IOException e) {
      throw new AudioDecodeException(file, Reason.UNREADABLE, e.getMessage(), e);
    }
  }

  /** Whether a Vorbis comment block's vendor string and comments (little-endian lengths) fit in it. */
  private static boolean vorbisCommentFits(byte[] b) {
    long p = 0;
    for (int field = 0; ; field++) {
      if (p + 4 > b.length) {
        return false;
      }
      long len = AudioSniffer.le32(b, (int) p);
      p += 4;
      if (field == 1) { // the comment count: each comment needs at least its 4-byte length
        if (len * 4 > b.length - p) {
          return false;
        }
        for (long c = 0; c < len; c++) {
          if (p + 4 > b.length) {
            return false;
          }
          p += 4 + AudioSniffer.le32(b, (int) p);
          if (p > b.length) {
            return false;
          }
        }
        return true;
      }
      p += len; // the vendor string
      if (p > b.length) {
        return false;
      }
    }
  }

  /** Whether a picture block's MIME type, description and data (big-endian lengths) fit in it. */
  private static boolean pictureFits(byte[] b) {
    long p = 4; // picture type
    for (int field = 0; field < 3; field++) {
      if (p + 4 > b.length) {
        return false;
      }
      long len = ((b[(int) p] & 0xFFL) << 24) | ((b[(int) p + 1] & 0xFF) << 16) | ((b[(int) p + 2] & 0xFF) << 8)
          | (b[(int) p + 3] & 0xFF);
      p += 4 + len;
      if (field == 1) {
        p += 16; // width, height, colour depth, colours used
      }
      if (p > b.length) {
        return false;
      }
    }
    return true;
  }
}
