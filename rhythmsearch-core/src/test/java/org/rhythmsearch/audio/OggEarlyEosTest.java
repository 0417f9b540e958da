package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.testing.Fixtures;

/**
 * Issue 12, finding 1: a real Vorbis file (from a Debian package) sets the end-of-stream flag on its last
 * 8 pages, same serial, granule positions still rising. The stream goes on past the first flagged page,
 * and so must the decoder.
 */
class OggEarlyEosTest {

  @TempDir Path tmp;

  /** Start offsets of every Ogg page of {@code b}. */
  static List<Integer> pageStarts(byte[] b) {
    List<Integer> out = new ArrayList<>();
    int at = 0;
    while (at + 27 <= b.length && b[at] == 'O' && b[at + 1] == 'g' && b[at + 2] == 'g' && b[at + 3] == 'S') {
      out.add(at);
      int segments = b[at + 26] & 0xff;
      int body = 0;
      for (int i = 0; i < segments; i++) {
        body += b[at + 27 + i] & 0xff;
      }
      at += 27 + segments + body;
    }
    return out;
  }

  /** The Ogg page CRC (polynomial 0x04c11db7, no reflection, initial 0) of {@code b[from, to)}, CRC field as zeros. */
  static int crc(byte[] b, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      int v = i >= from + 22 && i < from + 26 ? 0 : b[i] & 0xff;
      crc ^= v << 24;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
      }
    }
    return crc;
  }

  static int storedCrc(byte[] b, int at) {
    return (b[at + 22] & 0xff) | (b[at + 23] & 0xff) << 8 | (b[at + 24] & 0xff) << 16 | (b[at + 25] & 0xff) << 24;
  }

  static void setCrc(byte[] b, int at, int end) {
    int c = crc(b, at, end);
    for (int k = 0; k < 4; k++) {
      b[at + 22 + k] = (byte) (c >>> (8 * k));
    }
  }

  @Test
  void theCrcIsOggs() throws IOException {
    byte[] b = Files.readAllBytes(Fixtures.resource("click120.ogg"));
    List<Integer> starts = pageStarts(b);
    for (int p = 0; p < starts.size(); p++) {
      int end = p + 1 < starts.size() ? starts.get(p + 1) : b.length;
      assertThat(crc(b, starts.get(p), end)).as("page %d", p).isEqualTo(storedCrc(b, starts.get(p)));
    }
  }

  /** A copy of {@code ogg} whose last {@code count} pages carry the end-of-stream flag, CRCs recomputed. */
  static byte[] withEosOnLastPages(byte[] ogg, int count) {
    byte[] b = ogg.clone();
    List<Integer> starts = pageStarts(b);
    assertThat(starts.size()).as("pages").isGreaterThan(count + 2);
    for (int p = starts.size() - count; p < starts.size(); p++) {
      int at = starts.get(p);
      int end = p + 1 < starts.size() ? starts.get(p + 1) : b.length;
      b[at + 5] |= 0x04; // header type: end of stream
      setCrc(b, at, end);
    }
    return b;
  }

  @Test
  void aVorbisStreamWithEndOfStreamFlagsOnItsLast8PagesDecodesWhole() throws IOException {
    byte[] original = Files.readAllBytes(Fixtures.resource("click120.ogg"));
    Path flagged = Files.write(tmp.resolve("early-eos.ogg"), withEosOnLastPages(original, 8));
    PcmAudio whole = AudioDecoder.decode(Fixtures.resource("click120.ogg"));
    PcmAudio decoded = AudioDecoder.decode(flagged);
    assertThat(decoded.length()).isEqualTo(whole.length());
    assertThat(decoded.samples()).as("every sample").isEqualTo(whole.samples());
  }
}
