package org.rhythmsearch.audio;

/**
 * One parsed MPEG audio frame header (ISO/IEC 11172-3 and 13818-3, 4 bytes).
 *
 * @param version 1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5
 * @param layer 1, 2 or 3
 * @param bitrateKbps bit rate in kbit/s (0 for "free format", which we do not accept)
 * @param sampleRate sample rate in Hz
 * @param padding whether the frame carries one padding slot
 * @param mono whether the channel mode is single channel
 */
record Mp3Header(int version, int layer, int bitrateKbps, int sampleRate, boolean padding, boolean mono) {

  private static final int[][] BITRATES_V1 = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
  };
  private static final int[][] BITRATES_V2 = {
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
  };
  private static final int[] RATES_V1 = {44100, 48000, 32000};

  /** Parses a header at {@code buf[pos..pos+4)}; returns null if these bytes are not a valid header. */
  static Mp3Header parse(byte[] buf, int pos) {
    if (pos + 4 > buf.length) {
      return null;
    }
    int b1 = buf[pos + 1] & 0xFF;
    int b2 = buf[pos + 2] & 0xFF;
    int b3 = buf[pos + 3] & 0xFF;
    if ((buf[pos] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) {
      return null;
    }
    int versionBits = (b1 >> 3) & 3;
    int layerBits = (b1 >> 1) & 3;
    int bitrateIndex = b2 >> 4;
    int rateIndex = (b2 >> 2) & 3;
    if (versionBits == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return null;
    }
    int version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25;
    int layer = 4 - layerBits;
    int bitrate = (version == 1 ? BITRATES_V1 : BITRATES_V2)[layer - 1][bitrateIndex];
    int rate = RATES_V1[rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4);
    return new Mp3Header(version, layer, bitrate, rate, ((b2 >> 1) & 1) == 1, (b3 >> 6) == 3);
  }

  /** Samples per channel in one frame. */
  int samplesPerFrame() {
    if (layer == 1) {
      return 384;
    }
    return layer == 3 && version != 1 ? 576 : 1152;
  }

  /** Frame length in bytes, header included. */
  int frameBytes() {
    if (layer == 1) {
      return (12 * bitrateKbps * 1000 / sampleRate + (padding ? 1 : 0)) * 4;
    }
    int slots = samplesPerFrame() / 8;
    return slots * bitrateKbps * 1000 / sampleRate + (padding ? 1 : 0);
  }

  /** Offset of the Xing/Info tag from the frame start (after the Layer III side information). */
  int xingOffset() {
    if (version == 1) {
      return mono ? 4 + 17 : 4 + 32;
    }
    return mono ? 4 + 9 : 4 + 17;
  }
}
