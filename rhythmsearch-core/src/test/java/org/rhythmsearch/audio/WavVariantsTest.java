package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rhythmsearch.testing.Signals;

/**
 * Issue 12, finding 8: the WAV variants other programs write. WAVE_FORMAT_EXTENSIBLE (ffmpeg's
 * {@code pcm_s24le}, {@code pcm_s32le}, float, more than 2 channels) was refused by javax.sound ("not a
 * PCM encoding: MPEG1L1"), a float WAV with a {@code fact} chunk failed ("Resetting to invalid mark").
 * Each file here is written byte by byte, with LIST and fact chunks around the data as ffmpeg does.
 */
class WavVariantsTest {

  @TempDir Path tmp;

  static final int RATE = 16000;

  /** A WAV file of {@code channels} tones, written with the given layout. */
  static byte[] wav(int bits, boolean floating, boolean extensible, int channels, float[][] ch) {
    return wav(bits, floating, extensible, channels, ch, 0);
  }

  /** As {@link #wav(int, boolean, boolean, int, float[][])}, with {@code metadataBytes} more of LIST metadata. */
  static byte[] wav(int bits, boolean floating, boolean extensible, int channels, float[][] ch, int metadataBytes) {
    int frames = ch[0].length;
    int bps = bits / 8;
    ByteBuffer data = ByteBuffer.allocate(frames * channels * bps).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        double v = ch[c][i];
        if (floating && bits == 32) {
          data.putFloat((float) v);
        } else if (floating) {
          data.putDouble(v);
        } else if (bits == 24) {
          int s = (int) Math.round(v * 8388607);
          data.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
        } else if (bits == 32) {
          data.putInt((int) Math.round(v * 2147483647.0));
        } else {
          data.putShort((short) Math.round(v * 32767));
        }
      }
    }
    int tag = floating ? 3 : 1;
    ByteBuffer fmt = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
    fmt.putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) channels).putInt(RATE)
        .putInt(RATE * channels * bps).putShort((short) (channels * bps)).putShort((short) bits);
    if (extensible) {
      fmt.putShort((short) 22).putShort((short) bits).putInt((1 << channels) - 1).putShort((short) tag)
          .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    chunk(body, "fmt ", fmt.array());
    chunk(body, "LIST", ("INFOISFT\u000e\u0000\u0000\u0000Lavf60.16.100\u0000" + "x".repeat(metadataBytes))
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    if (floating) {
      chunk(body, "fact", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(frames).array());
    }
    chunk(body, "data", data.array());
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + body.size()).array());
    file.writeBytes("WAVE".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    file.writeBytes(body.toByteArray());
    return file.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String id, byte[] payload) {
    out.writeBytes(id.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(payload.length).array());
    out.writeBytes(payload);
    if ((payload.length & 1) == 1) {
      out.write(0);
    }
  }

  @ParameterizedTest(name = "{0}-bit float={1} extensible={2}, {3} channel(s)")
  @CsvSource({"24, false, true, 2", "32, false, true, 2", "16, false, true, 6", "32, true, true, 2", "32, true, false, 2",
      "64, true, false, 1", "64, true, true, 2", "24, false, false, 3"})
  void everyLayoutDecodesToTheAverageOfItsChannels(int bits, boolean floating, boolean extensible, int channels)
      throws IOException {
    float[][] ch = Signals.tones(channels, RATE);
    float[] expected = Signals.channelMean(ch);
    Path f = Files.write(tmp.resolve("v" + bits + floating + extensible + channels + ".wav"),
        wav(bits, floating, extensible, channels, ch));
    PcmAudio pcm = AudioDecoder.decode(f);
    assertThat(pcm.sampleRate()).isEqualTo(RATE);
    assertThat(pcm.length()).isEqualTo(RATE);
    AudioInfo info = AudioDecoder.probe(f);
    assertThat(info.channels()).isEqualTo(channels);
    assertThat(info.durationSeconds()).isCloseTo(1.0, within(1e-9));
    float tolerance = bits == 16 ? 1e-4f : 1e-6f;
    for (int i = 0; i < RATE; i += 7) {
      assertThat(pcm.samples()[i]).as("sample %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }

  @org.junit.jupiter.api.Test
  void metadataOf100KbBeforeTheDataIsSkipped() throws IOException {
    // what `ffmpeg -metadata comment=...` writes; javax.sound failed with "Resetting to invalid mark"
    float[][] ch = {Signals.tone(330, 0.5, RATE, RATE), Signals.tone(440, 0.5, RATE, RATE)};
    for (boolean floating : new boolean[] {true, false}) {
      Path f = Files.write(tmp.resolve("meta-" + floating + ".wav"), wav(floating ? 32 : 24, floating, true, 2, ch, 100_000));
      PcmAudio pcm = AudioDecoder.decode(f);
      assertThat(pcm.length()).isEqualTo(RATE);
      for (int i = 0; i < RATE; i += 7) {
        assertThat(pcm.samples()[i]).isCloseTo((ch[0][i] + ch[1][i]) / 2, within(1e-6f));
      }
    }
  }
}
