package org.rhythmsearch.audio;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;

/**
 * Converts interleaved integer or float PCM bytes to mono float samples in [-1, 1] by averaging
 * the channels. Supports signed/unsigned 8-bit, signed 16/24/32-bit and 32/64-bit IEEE float, either
 * byte order, 1–8 (or more) channels. A float sample that is not a number reads as 0 and one beyond
 * full scale is clipped to ±1, as a player would (corrupt or hostile float data must not turn into
 * infinite spectra).
 *
 * <p>Immutable (planned for one {@link AudioFormat}); thread-safe.
 */
final class PcmConverter {

  private final int channels;
  private final int bytesPerSample;
  private final int frameSize;
  private final boolean bigEndian;
  private final boolean floating;
  private final boolean unsigned;
  private final float scale;

  PcmConverter(AudioFormat format) {
    Encoding enc = format.getEncoding();
    floating = Encoding.PCM_FLOAT.equals(enc);
    unsigned = Encoding.PCM_UNSIGNED.equals(enc);
    if (!floating && !unsigned && !Encoding.PCM_SIGNED.equals(enc)) {
      throw new IllegalArgumentException("not a PCM encoding: " + enc);
    }
    int bits = format.getSampleSizeInBits();
    if (bits % 8 != 0 || bits < 8 || bits > 64 || (floating && bits != 32 && bits != 64)) {
      throw new IllegalArgumentException("unsupported sample size: " + bits + " bits " + enc);
    }
    channels = format.getChannels();
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1; channels=" + channels);
    }
    bytesPerSample = bits / 8;
    frameSize = bytesPerSample * channels;
    bigEndian = format.isBigEndian() && bytesPerSample > 1;
    // Integer full scale: 2^(bits-1); the average over channels is folded into the same factor.
    double fullScale = floating ? 1.0 : Math.pow(2, bits - 1);
    scale = (float) (1.0 / (fullScale * channels));
  }

  /**
   * Reads from {@code in} into {@code buf[0..want)} until it is full, the stream ends, or a read makes
   * no progress (javax.sound's streams answer 0 when asked for less than one of their frames, which a
   * corrupt header can make larger than ours: reading on would never end).
   *
   * @return the bytes read
   */
  static int fill(java.io.InputStream in, byte[] buf, int want) throws java.io.IOException {
    return fill(in, buf, 0, want);
  }

  /** As {@link #fill(java.io.InputStream, byte[], int)}, into {@code buf[from..want)}; returns the bytes read. */
  static int fill(java.io.InputStream in, byte[] buf, int from, int want) throws java.io.IOException {
    int total = 0;
    while (from + total < want) {
      int n = in.read(buf, from + total, want - from - total);
      if (n <= 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Bytes per interleaved frame. */
  int frameSize() {
    return frameSize;
  }

  /**
   * Converts {@code frames} whole frames from {@code in[0..]} into {@code out[outPos..outPos+frames)}.
   */
  void toMono(byte[] in, int frames, float[] out, int outPos) {
    if (!floating && bytesPerSample == 2 && !bigEndian) {
      toMono16le(in, frames, out, outPos);
      return;
    }
    int p = 0;
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += sample(in, p);
        p += bytesPerSample;
      }
      out[outPos + f] = (float) (sum * scale);
    }
  }

  /** The common case (16-bit little-endian, what every compressed-format decoder here emits). */
  private void toMono16le(byte[] in, int frames, float[] out, int outPos) {
    int p = 0;
    if (channels == 2) {
      for (int f = 0; f < frames; f++, p += 4) {
        int l = (short) ((in[p] & 0xFF) | (in[p + 1] << 8));
        int r = (short) ((in[p + 2] & 0xFF) | (in[p + 3] << 8));
        out[outPos + f] = (l + r) * scale;
      }
      return;
    }
    for (int f = 0; f < frames; f++) {
      int sum = 0;
      for (int c = 0; c < channels; c++, p += 2) {
        sum += (short) ((in[p] & 0xFF) | (in[p + 1] << 8));
      }
      out[outPos + f] = sum * scale;
    }
  }

  private double sample(byte[] b, int p) {
    long bits = 0;
    if (bigEndian) {
      for (int i = 0; i < bytesPerSample; i++) {
        bits = (bits << 8) | (b[p + i] & 0xFF);
      }
    } else {
      for (int i = bytesPerSample - 1; i >= 0; i--) {
        bits = (bits << 8) | (b[p + i] & 0xFF);
      }
    }
    if (floating) {
      double v = bytesPerSample == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
      return v != v ? 0 : Math.max(-1, Math.min(1, v)); // NaN → 0
    }
    int shift = 64 - 8 * bytesPerSample;
    if (unsigned) {
      return bits - (1L << (8 * bytesPerSample - 1));
    }
    return (bits << shift) >> shift; // sign-extend
  }
}
