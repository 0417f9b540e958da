package org.rhythmsearch.audio;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import com.jcraft.jogg.SyncState;
import java.io.IOException;
import java.io.InputStream;

/**
 * The packets of the first logical stream of an Ogg file (RFC 3533), through jorbis's {@code jogg}:
 * pages of other (multiplexed) streams are ignored, pages whose checksum fails and gaps in the stream
 * ("holes") are skipped and counted, and the stream ends at the end of the input. A chained file
 * (streams one after another, e.g. {@code cat a.ogg b.ogg}) goes on with the next chain's stream: a
 * beginning-of-stream page after the current stream's end, or with the current serial number, starts a
 * chain, {@link #chains()} counts it, and the decoder reads that chain's headers. Shared by the Vorbis
 * and Opus decoders.
 *
 * <p>Not thread-safe; one instance per stream.
 */
final class OggPackets {

  private static final int CHUNK = 8192;

  private final InputStream in;
  private final SyncState sync = new SyncState();
  private final StreamState stream = new StreamState();
  private final Page page = new Page();
  private final Packet packet = new Packet();
  private int serial;
  private boolean inputDone;
  private int holes;
  private int chains = 1;
  private boolean ended;

  /** Opens the stream of the file's first page. */
  OggPackets(InputStream in) throws IOException {
    this.in = in;
    sync.init();
    if (!nextPage()) {
      throw new IOException("no Ogg page found");
    }
    serial = page.serialno();
    stream.init(serial);
    ended = page.eos() != 0;
    if (stream.pagein(page) < 0) {
      throw new IOException("first Ogg page is unreadable");
    }
  }

  /** Chains begun so far: 1, plus one for each further stream of a chained file. */
  int chains() {
    return chains;
  }

  /** The current packet, valid until the next call of {@link #next()}. */
  Packet packet() {
    return packet;
  }

  /** Pages skipped because they were corrupt, and gaps in the stream. */
  int holes() {
    return holes;
  }

  /** Next packet of the stream into {@link #packet()}; false at the end of the stream. */
  boolean next() throws IOException {
    int r;
    while ((r = counted(stream.packetout(packet))) != 1) {
      if (r == 0) { // the stream needs another page
        // an end-of-stream flag does not end the reading: some encoders set it on several last pages
        // (same serial, granule positions still rising), so pages are read while the input has them
        if (!nextPage()) {
          return false;
        }
        if (page.bos() != 0 && (ended || page.serialno() == serial)) { // the next chain begins
          serial = page.serialno();
          stream.init(serial);
          chains++;
          ended = false;
        }
        if (page.serialno() == serial) {
          ended |= page.eos() != 0;
          stream.pagein(page);
        }
      }
    }
    return true;
  }

  /** {@code result} of jogg's packetout/pageout, a hole (−1: data lost, skipped) counted. */
  private int counted(int result) {
    if (result == -1) {
      holes++;
    }
    return result;
  }

  /** Next page into {@link #page}; false when the input ends. */
  private boolean nextPage() throws IOException {
    int r;
    while ((r = counted(sync.pageout(page))) != 1) {
      if (r == 0) { // more input needed
        if (inputDone) {
          return false;
        }
        int at = sync.buffer(CHUNK);
        int n = in.read(sync.data, at, CHUNK);
        inputDone = n <= 0;
        sync.wrote(Math.max(n, 0));
      }
    }
    return true;
  }

  void close() throws IOException {
    in.close();
  }
}
