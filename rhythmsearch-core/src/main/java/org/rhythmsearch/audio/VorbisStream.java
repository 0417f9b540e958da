package org.rhythmsearch.audio;

import com.jcraft.jogg.Packet;
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

  private final OggPackets ogg;
  private final Packet packet;
  private final float[][][] pcm = new float[1][][];
  private final int rate;
  /** The current chain's decoder state (a chained file has one per chain). */
  private Info info;
  private DspState dsp;
  private Block block;
  private int[] index;
  private float scale;
  private int chain = 1;

  VorbisStream(InputStream in) throws IOException {
    ogg = new OggPackets(in);
    packet = ogg.packet();
    if (!ogg.next()) {
      throw new IOException("first Ogg packet is not a Vorbis identification header");
    }
    readHeaders();
    rate = info.rate;
  }

  /** Reads a chain's three header packets, the first already in {@link #packet}, and starts its decoder. */
  private void readHeaders() throws IOException {
    info = new Info();
    Comment comment = new Comment();
    info.init();
    comment.init();
    if (info.synthesis_headerin(comment, packet) < 0) {
      throw new IOException(chain == 1 ? "first Ogg packet is not a Vorbis identification header"
          : "chain " + chain + " does not start with a Vorbis identification header");
    }
    for (int headers = 1; headers < 3; headers++) {
      if (!ogg.next()) {
        throw new IOException("stream ends inside the Vorbis headers");
      }
      if (info.synthesis_headerin(comment, packet) < 0) {
        throw new IOException("corrupt Vorbis header packet " + (headers + 1));
      }
    }
    dsp = new DspState();
    dsp.synthesis_init(info);
    block = new Block(dsp);
    block.init(dsp);
    index = new int[info.channels];
    scale = 1f / info.channels;
  }

  int sampleRate() {
    return rate;
  }

  int channels() {
    return info.channels;
  }

  /** Pages skipped because they were corrupt or missing. */
  int holes() {
    return ogg.holes();
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
      if (!ogg.next()) {
        break;
      }
      if (ogg.chains() != chain) { // a chained file's next stream: its own headers, the same rate
        chain = ogg.chains();
        readHeaders();
        if (info.rate != rate) {
          throw new IOException("chain " + chain + " changes the sample rate from " + rate + " to " + info.rate + " Hz");
        }
        continue;
      }
      if (block.synthesis(packet) == 0) {
        dsp.synthesis_blockin(block);
      }
    }
    return written == 0 && len > 0 ? -1 : written;
  }

  @Override
  public void close() throws IOException {
    ogg.close();
  }
}
