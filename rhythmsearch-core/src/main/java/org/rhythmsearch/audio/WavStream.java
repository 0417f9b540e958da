package org.rhythmsearch.audio;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;

/**
 * A WAV file's PCM read by ourselves, chunk by chunk: integer PCM (8-bit unsigned, 16/24/32-bit signed)
 * and IEEE float (32/64-bit), in the plain format or as WAVE_FORMAT_EXTENSIBLE (what ffmpeg writes for
 * more than 16 bits or 2 channels), with any chunks (LIST, fact, bext, …) before or after the data.
 * javax.sound refuses the extensible form and some float files; A-law and mu-law stay with it.
 *
 * <p>Not thread-safe.
 */
final class WavStream implements MonoSource {

  /** Format tags read here. */
  static final int PCM = 1;
  static final int FLOAT = 3;
  private static final int EXTENSIBLE = 0xFFFE;
  private static final int BUFFER_FRAMES = 16 * 1024;

  private final DataInputStream in;
  private final int rate;
  private final int channels;
  private final long declaredFrames;
  private final PcmConverter converter;
  private final byte[] buf;
  private long remainingBytes; // of the data chunk; Long.MAX_VALUE when its size is unknown

  /** The file holds another encoding (A-law, mu-law): javax.sound decodes it. */
  static final class NotPcm extends IOException {
    private static final long serialVersionUID = 1L;

    NotPcm(int tag) {
      super("WAV format tag " + tag + " is not PCM or IEEE float");
    }
  }

  /** The format of a WAV file's 'fmt ' chunk: its tag (the sub-format's for EXTENSIBLE) and layout. */
  record Format(int tag, int channels, int rate, int blockAlign, int bits) {}

  /**
   * Reads the header up to the data chunk.
   *
   * @throws IOException when the header is malformed or the format is not integer PCM or IEEE float
   */
  WavStream(InputStream input) throws IOException {
    in = new DataInputStream(input);
    String riff = tag();
    long riffSize = u32();
    if (!(riff.equals("RIFF") || riff.equals("RF64")) || !tag().equals("WAVE")) {
      throw new IOException("not a RIFF/WAVE file");
    }
    Format f = null;
    while (true) {
      String id = tag();
      long size = u32();
      if (id.equals("fmt ")) {
        f = format(size);
      } else if (id.equals("data")) {
        if (f == null) {
          throw new IOException("WAV data chunk before its 'fmt ' chunk");
        }
        // 0xFFFFFFFF (streamed WAV) and RF64's placeholder: the data runs to the end of the file
        remainingBytes = size == 0xFFFFFFFFL || riff.equals("RF64") || riffSize == 0xFFFFFFFFL && size == 0
            ? Long.MAX_VALUE : size;
        break;
      } else {
        skip(size + (size & 1));
      }
    }
    if (f.tag() != PCM && f.tag() != FLOAT) {
      throw new NotPcm(f.tag());
    }
    if (f.bits() % 8 != 0 || f.bits() < 8 || f.bits() > 64 || f.tag() == FLOAT && f.bits() != 32 && f.bits() != 64
        || f.blockAlign() != f.channels() * f.bits() / 8) {
      throw new IOException(String.format("unsupported WAV layout: %d-bit %s, %d channel(s), block %d bytes", f.bits(),
          f.tag() == FLOAT ? "float" : "integer", f.channels(), f.blockAlign()));
    }
    rate = f.rate();
    channels = f.channels();
    declaredFrames = remainingBytes == Long.MAX_VALUE ? -1 : remainingBytes / f.blockAlign();
    AudioFormat.Encoding enc = f.tag() == FLOAT ? AudioFormat.Encoding.PCM_FLOAT
        : f.bits() == 8 ? AudioFormat.Encoding.PCM_UNSIGNED : AudioFormat.Encoding.PCM_SIGNED;
    converter = channels > 0 && rate > 0
        ? new PcmConverter(new AudioFormat(enc, rate, f.bits(), channels, f.blockAlign(), rate, false)) : null;
    buf = new byte[BUFFER_FRAMES * Math.max(1, f.blockAlign())];
  }

  /** The 'fmt ' chunk of {@code size} bytes. */
  private Format format(long size) throws IOException {
    if (size < 16) {
      throw new IOException("WAV 'fmt ' chunk of " + size + " bytes");
    }
    int tag = u16();
    int ch = u16();
    long sampleRate = u32();
    u32(); // byte rate
    int blockAlign = u16();
    int bits = u16();
    long read = 16;
    if (tag == EXTENSIBLE && size >= 40) {
      u16(); // extension size
      int valid = u16();
      u32(); // channel mask
      tag = u16(); // the sub-format GUID starts with the format tag
      skip(14);
      read = 40;
      if (valid > bits) {
        throw new IOException("WAV valid bits " + valid + " exceed the container's " + bits);
      }
    }
    skip(size - read + (size & 1));
    return new Format(tag, ch, (int) Math.min(sampleRate, Integer.MAX_VALUE), blockAlign, bits);
  }

  int sampleRate() {
    return rate;
  }

  int channels() {
    return channels;
  }

  /** Frames the data chunk declares, or -1 when unknown (streamed). */
  long declaredFrames() {
    return declaredFrames;
  }

  @Override
  public int read(float[] out, int off, int len) throws IOException {
    int frameSize = converter.frameSize();
    long wantBytes = Math.min((long) Math.min(len, BUFFER_FRAMES) * frameSize, remainingBytes);
    int total = PcmConverter.fill(in, buf, (int) (wantBytes - wantBytes % frameSize));
    int frames = total / frameSize;
    if (frames == 0) {
      return -1;
    }
    if (remainingBytes != Long.MAX_VALUE) {
      remainingBytes -= total;
    }
    converter.toMono(buf, frames, out, off);
    return frames;
  }

  private String tag() throws IOException {
    byte[] b = new byte[4];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private int u16() throws IOException {
    return in.readUnsignedByte() | in.readUnsignedByte() << 8;
  }

  private long u32() throws IOException {
    return u16() | (long) u16() << 16;
  }

  private void skip(long n) throws IOException {
    for (long left = n; left > 0; ) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new EOFException("WAV file ends inside a chunk");
        }
        s = 1;
      }
      left -= s;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
