package org.rhythmsearch.audio;

import com.jcraft.jogg.Packet;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusMSDecoder;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ogg Opus (RFC 7845) decoded to mono float samples at 48 kHz: Ogg pages and packets from jorbis's
 * {@code jogg}, Opus packets from Concentus (a pure-Java port of libopus). The identification header
 * gives the channel count, the channel mapping (family 0: mono/stereo; family 1 and 255: several
 * streams) and the output gain (Q7.8 dB, applied here, as RFC 7845 section 5.1 requires). Pre-skip
 * and end trimming are not done here: the pre-skip is the {@link SniffedFile#leadingSamples()} and
 * the last page's granule position the declared length, which {@link AudioDecoder} applies like the
 * MP3 delay and padding. Corrupt pages and holes are skipped like {@link VorbisStream} does; a packet
 * Concentus refuses decodes as one 20-ms frame of silence (the packet-loss path), so timing stays.
 *
 * <p>Not thread-safe; one instance per stream.
 */
final class OpusStream implements MonoSource {

  /** Opus always runs its granule clock at 48 kHz; decoding at that rate keeps samples and granules equal. */
  static final int RATE = 48_000;
  /** Largest Opus packet duration: 120 ms at 48 kHz. */
  private static final int MAX_FRAME = 5760;
  private final OggPackets ogg;
  private final Packet packet;
  /** The current chain's decoder and layout (a chained file has one per chain). */
  private OpusMSDecoder decoder;
  private int channels;
  private float scale;
  private short[] pcm;
  private final int firstChannels;
  private int chain = 1;
  /** Samples still to drop: a later chain's pre-skip (the first chain's is the sniffer's leading samples). */
  private int skip;
  private int badPackets;
  /** Decoded but not yet returned samples in {@link #pcm}, per channel. */
  private int pending;
  private int pendingAt;

  OpusStream(InputStream in) throws IOException {
    ogg = new OggPackets(in);
    packet = ogg.packet();
    if (!ogg.next()) {
      throw new IOException("first Ogg packet is unreadable");
    }
    readHeaders();
    firstChannels = channels;
  }

  /** Reads a chain's two header packets, the first already in {@link #packet}, and starts its decoder. */
  private int readHeaders() throws IOException {
    OpusHead head = OpusHead.parse(packet.packet_base, packet.packet, packet.bytes);
    channels = head.channels();
    try {
      decoder = OpusMSDecoder.create(RATE, head.channels(), head.streams(), head.coupled(), head.mapping());
    } catch (OpusException e) {
      throw new IOException("Opus decoder refused the header: " + e.getMessage(), e);
    }
    pcm = new short[MAX_FRAME * channels];
    // output gain in Q7.8 dB, then 16-bit full scale to 1.0, then the channel average
    scale = (float) (Math.pow(10, head.outputGainQ8() / (20.0 * 256)) / 32768.0 / channels);
    // the comment header ("OpusTags") is the second packet; it may span pages
    if (!ogg.next()) {
      throw new IOException("stream ends inside the Opus comment header");
    }
    return head.preSkip();
  }

  int channels() {
    return firstChannels;
  }

  /** Pages skipped because they were corrupt or missing, plus packets the decoder refused. */
  int holes() {
    return ogg.holes() + badPackets;
  }

  @Override
  public int read(float[] out, int off, int len) throws IOException {
    int written = 0;
    while (written < len) {
      if (pending > 0) {
        int take = Math.min(pending, len - written);
        for (int i = 0; i < take; i++) {
          int base = (pendingAt + i) * channels;
          int sum = 0;
          for (int c = 0; c < channels; c++) {
            sum += pcm[base + c];
          }
          out[off + written + i] = sum * scale;
        }
        pending -= take;
        pendingAt += take;
        written += take;
        continue;
      }
      if (!ogg.next()) {
        break;
      }
      if (ogg.chains() != chain) { // a chained file's next stream: its own headers and pre-skip
        chain = ogg.chains();
        skip = readHeaders();
        continue;
      }
      pendingAt = 0;
      try {
        pending = decoder.decodeMultistream(packet.packet_base, packet.packet, packet.bytes, pcm, 0, MAX_FRAME, 0);
      } catch (RuntimeException e) {
        pending = -1;
      }
      if (pending < 0) {
        badPackets++;
        pending = RATE / 50; // conceal as 20 ms of silence
        java.util.Arrays.fill(pcm, 0, pending * channels, (short) 0);
      }
      if (skip > 0) {
        int dropped = Math.min(skip, pending);
        skip -= dropped;
        pending -= dropped;
        pendingAt += dropped;
      }
    }
    return written == 0 && len > 0 ? -1 : written;
  }

  @Override
  public void close() throws IOException {
    ogg.close();
  }

  /**
   * The Opus identification header (RFC 7845 section 5.1).
   *
   * @param channels output channels, 1…255
   * @param preSkip samples at 48 kHz to drop from the start of the decoded output
   * @param outputGainQ8 gain to apply, dB in Q7.8
   * @param streams Opus streams in each packet
   * @param coupled of which stereo (coupled) streams
   * @param mapping output channel → decoded channel (255: silent)
   */
  record OpusHead(int channels, int preSkip, int outputGainQ8, int streams, int coupled, short[] mapping) {

    /** Parses the header packet; {@link IOException} with the reason when it is not a usable one. */
    static OpusHead parse(byte[] b, int off, int len) throws IOException {
      if (len < 19 || !AudioSniffer.startsWith(b, off, "OpusHead")) {
        throw new IOException("first Ogg packet is not an Opus identification header");
      }
      int version = b[off + 8] & 0xFF;
      if (version >> 4 != 0) {
        throw new IOException("Opus header version " + version + " is not supported (major version must be 0)");
      }
      int channels = b[off + 9] & 0xFF;
      int preSkip = (b[off + 10] & 0xFF) | (b[off + 11] & 0xFF) << 8;
      int gain = (short) ((b[off + 16] & 0xFF) | (b[off + 17] & 0xFF) << 8);
      int family = b[off + 18] & 0xFF;
      if (channels == 0) {
        throw new IOException("Opus header declares 0 channels");
      }
      if (family == 0) {
        if (channels > 2) {
          throw new IOException("Opus mapping family 0 allows 1 or 2 channels; header declares " + channels);
        }
        short[] mapping = channels == 1 ? new short[] {0} : new short[] {0, 1};
        return new OpusHead(channels, preSkip, gain, 1, channels - 1, mapping);
      }
      if (len < 21 + channels) {
        throw new IOException("Opus header cut short (channel mapping table of " + channels + " channels)");
      }
      int streams = b[off + 19] & 0xFF;
      int coupled = b[off + 20] & 0xFF;
      if (streams == 0 || coupled > streams) {
        throw new IOException("Opus header has " + streams + " streams and " + coupled + " coupled ones");
      }
      short[] mapping = new short[channels];
      for (int c = 0; c < channels; c++) {
        mapping[c] = (short) (b[off + 21 + c] & 0xFF);
        if (mapping[c] != 255 && mapping[c] >= streams + coupled) {
          throw new IOException("Opus channel mapping entry " + mapping[c] + " is out of range");
        }
      }
      return new OpusHead(channels, preSkip, gain, streams, coupled, mapping);
    }
  }
}
