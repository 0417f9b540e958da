package org.rhythmsearch.audio;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import com.jcraft.jogg.SyncState;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import java.io.IOException;
import java.io.InputStream;

/**
 * OGG Vorbis decoded with jorbis directly (the Ogg page/packet loop of the Vorbis I decoding
 * procedure), producing mono float samples without a 16-bit round trip. Used instead of vorbisspi's
 * stream, which silently stops early on some valid files (seen on demo-corpus songs losing up to
 * 7 s). Pages whose checksum fails or gaps in the stream ("holes") are skipped as the specification
 * allows; decoding continues with the next good page.
 *
 * <p>Not thread-safe; one instance per stream.
 */
final class VorbisStream implements MonoSource {

  private static final int CHUNK = 8192;

  private final InputStream in;
  private final SyncState sync = new SyncState();
  private final StreamState stream = new StreamState();
  private final Page page = new Page();
  private final Packet packet = new Packet();
  private final Info info = new Info();
  private final Comment comment = new Comment();
  private final DspState dsp = new DspState();
  private final Block block = new Block(dsp);
  private final float[][][] pcm = new float[1][][];
  private final int[] index;
  private final float scale;

  private int serial;
  private boolean eos;
  private boolean inputDone;
  private int holes;

  VorbisStream(InputStream in) throws IOException {
    this.in = in;
    sync.init();
    if (!nextPage()) {
      throw new IOException("no Ogg page found");
    }
    serial = page.serialno();
    stream.init(serial);
    info.init();
    comment.init();
    if (stream.pagein(page) < 0 || stream.packetout(packet) != 1 || info.synthesis_headerin(comment, packet) < 0) {
      throw new IOException("first Ogg packet is not a Vorbis identification header");
    }
    int headers = 1;
    while (headers < 3) {
      int r = stream.packetout(packet);
      if (r == 1) {
        if (info.synthesis_headerin(comment, packet) < 0) {
          throw new IOException("corrupt Vorbis header packet " + (headers + 1));
        }
        headers++;
      } else if (r == -1) {
        throw new IOException("corrupt Vorbis header packet " + (headers + 1));
      } else if (!nextPage()) {
        throw new IOException("stream ends inside the Vorbis headers");
      } else {
        stream.pagein(page);
      }
    }
    dsp.synthesis_init(info);
    block.init(dsp);
    index = new int[info.channels];
    scale = 1f / info.channels;
  }

  int sampleRate() {
    return info.rate;
  }

  int channels() {
    return info.channels;
  }

  /** Pages skipped because they were corrupt or missing. */
  int holes() {
    return holes;
  }

  @Override
  public int read(float[] out, int off, int len) throws IOException {
    int written = 0;
    while (written < len) {
      int n = dsp.synthesis_pcmout(pcm, index);
      if (n > 0) {
        int take = Math.min(n, len - written);
        float[][] ch = pcm[0];
        int channels = info.channels;
        for (int i = 0; i < take; i++) {
          float sum = 0f;
          for (int c = 0; c < channels; c++) {
            sum += ch[c][index[c] + i];
          }
          out[off + written + i] = sum * scale;
        }
        dsp.synthesis_read(take);
        written += take;
        continue;
      }
      if (!nextPacket()) {
        break;
      }
      if (block.synthesis(packet) == 0) {
        dsp.synthesis_blockin(block);
      }
    }
    return written == 0 && len > 0 ? -1 : written;
  }

  /** Next audio packet into {@link #packet}; false at the end of the stream. */
  private boolean nextPacket() throws IOException {
    while (true) {
      int r = stream.packetout(packet);
      if (r == 1) {
        return true;
      }
      if (r == -1) {
        holes++;
        continue;
      }
      if (eos || !nextPage()) {
        return false;
      }
      if (page.serialno() == serial) {
        stream.pagein(page);
        if (page.eos() != 0) {
          eos = true;
        }
      }
    }
  }

  /** Next page into {@link #page}; false when the input ends. */
  private boolean nextPage() throws IOException {
    while (true) {
      int r = sync.pageout(page);
      if (r == 1) {
        return true;
      }
      if (r == -1) {
        holes++;
        continue;
      }
      if (inputDone) {
        return false;
      }
      int at = sync.buffer(CHUNK);
      int n = in.read(sync.data, at, CHUNK);
      if (n <= 0) {
        inputDone = true;
        sync.wrote(0);
      } else {
        sync.wrote(n);
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
