package org.rhythmsearch.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Deterministic test signals with known answers, and a WAV writer for any PCM layout. */
public final class Signals {

  private Signals() {}

  /**
   * A drum-like click track: a kick (decaying 60→45 Hz sine plus a noise transient) on every beat,
   * and, when {@code offbeat} is in (0, 1), a quieter hi-hat (decaying high-passed noise) at that
   * fraction of each beat (0.5 = straight eighths, 2/3 = triplet swing).
   *
   * @param bpm tempo in beats per minute
   * @param seconds length, seconds
   * @param sampleRate Hz
   * @param offbeat position of the off-beat within the beat, or 0 for none
   * @param seed noise seed
   */
  public static float[] clickTrack(double bpm, double seconds, int sampleRate, double offbeat, long seed) {
    int n = (int) Math.round(seconds * sampleRate);
    float[] y = new float[n];
    SplittableRandom rnd = new SplittableRandom(seed);
    double period = 60.0 / bpm;
    for (double t = 0.05; t < seconds; t += period) {
      addKick(y, (int) Math.round(t * sampleRate), sampleRate, rnd);
      if (offbeat > 0 && offbeat < 1) {
        addHat(y, (int) Math.round((t + offbeat * period) * sampleRate), sampleRate, rnd);
      }
    }
    return y;
  }

  private static void addKick(float[] y, int at, int sr, SplittableRandom rnd) {
    int len = (int) (0.12 * sr);
    double phase = 0;
    for (int i = 0; i < len && at + i < y.length; i++) {
      double t = i / (double) sr;
      double f = 45 + 15 * Math.exp(-t / 0.03);
      phase += 2 * Math.PI * f / sr;
      double v = 0.7 * Math.exp(-t / 0.04) * Math.sin(phase) + 0.25 * Math.exp(-t / 0.004) * (rnd.nextDouble() * 2 - 1);
      y[at + i] += (float) v;
    }
  }

  private static void addHat(float[] y, int at, int sr, SplittableRandom rnd) {
    int len = (int) (0.05 * sr);
    double prev = 0;
    for (int i = 0; i < len && at + i < y.length; i++) {
      double t = i / (double) sr;
      double noise = rnd.nextDouble() * 2 - 1;
      double hp = noise - prev; // first difference: a crude high-pass
      prev = noise;
      y[at + i] += (float) (0.15 * Math.exp(-t / 0.012) * hp);
    }
  }

  /** {@code amplitude · sin(2π f t)}. */
  public static float[] tone(double freq, double amplitude, int samples, int sampleRate) {
    float[] y = new float[samples];
    for (int i = 0; i < samples; i++) {
      y[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / sampleRate));
    }
    return y;
  }

  /**
   * A drum pattern as a 16-bit mono WAV at 22 050 Hz: accented and unaccented 1.5-kHz clicks at
   * {@code bpm}, with seeded noise; patterns at one tempo are each other's nearest neighbours.
   */
  public static Path drums(Path file, double bpm, double seconds, long seed) throws IOException {
    int rate = 22050;
    int n = (int) (seconds * rate);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] y = new float[n];
    double period = 60.0 / bpm * rate;
    for (int i = 0; i < n; i++) {
      double pos = i % period;
      int beat = (int) (i / period);
      y[i] = (float) (pos < 600 ? (beat % 2 == 0 ? 0.8 : 0.4) * Math.exp(-pos / 120.0)
          * (Math.sin(2 * Math.PI * 1500 * pos / rate) + 0.3 * (rnd.nextDouble() - 0.5))
          : 0.001 * (rnd.nextDouble() - 0.5));
    }
    writeWav16(file, rate, y);
    return file;
  }

  /** Writes a 16-bit PCM WAV of one or more channels. */
  public static void writeWav16(Path file, int sampleRate, float[]... channels) throws IOException {
    writeWav(file, sampleRate, 16, false, channels);
  }

  /**
   * Writes a WAV with {@code bits}-bit samples: integer PCM (8 = unsigned, 16/24/32 = signed) or IEEE
   * float ({@code floating}, 32 bits). Values are clipped to [-1, 1).
   */
  public static void writeWav(Path file, int sampleRate, int bits, boolean floating, float[]... channels)
      throws IOException {
    int ch = channels.length;
    int frames = channels[0].length;
    int bps = bits / 8;
    ByteBuffer buf = ByteBuffer.allocate(frames * ch * bps).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      for (float[] c : channels) {
        double v = Math.max(-1, Math.min(c[i], 1 - 1e-9));
        if (floating) {
          buf.putFloat((float) v);
        } else if (bits == 8) {
          buf.put((byte) (Math.round(v * 127) + 128));
        } else if (bits == 16) {
          buf.putShort((short) Math.round(v * 32767));
        } else if (bits == 24) {
          int s = (int) Math.round(v * 8388607);
          buf.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
        } else {
          buf.putInt((int) Math.round(v * 2147483647.0));
        }
      }
    }
    AudioFormat.Encoding enc = floating ? AudioFormat.Encoding.PCM_FLOAT
        : bits == 8 ? AudioFormat.Encoding.PCM_UNSIGNED : AudioFormat.Encoding.PCM_SIGNED;
    AudioFormat fmt = new AudioFormat(enc, sampleRate, bits, ch, ch * bps, sampleRate, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(buf.array()), fmt, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
  }

  /** {@code channels} tones of one second at {@code rate}: channel c at 200 + 150·c Hz, amplitude 0.9 / (c + 1). */
  public static float[][] tones(int channels, int rate) {
    float[][] ch = new float[channels][];
    for (int c = 0; c < channels; c++) {
      ch[c] = tone(200 + 150 * c, 0.9 / (c + 1), rate, rate);
    }
    return ch;
  }

  /** The mean of the channels, sample by sample: what a decoder's mono output must be. */
  public static float[] channelMean(float[][] ch) {
    float[] mean = new float[ch[0].length];
    for (float[] c : ch) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += c[i] / ch.length;
      }
    }
    return mean;
  }

  /** Cosine similarity ({@link org.rhythmsearch.features.Vectors#cosine}). */
  public static double cosine(float[] a, float[] b) {
    return org.rhythmsearch.features.Vectors.cosine(a, b);
  }

  /** Appends a RIFF {@code LIST/INFO} chunk with a title (INAM) and an artist (IART) to a WAV file. */
  public static Path withInfo(Path wav, String title, String artist) throws java.io.IOException {
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    info.writeBytes("INFO".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (String[] kv : new String[][] {{"INAM", title}, {"IART", artist}}) {
      byte[] v = (kv[1] + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      info.writeBytes(kv[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      info.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v.length).array());
      info.writeBytes(v);
      if (v.length % 2 == 1) {
        info.write(0);
      }
    }
    byte[] old = Files.readAllBytes(wav);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(old.length + 8 + info.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(old).put("LIST".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(info.size()).put(info.toByteArray());
    b.putInt(4, b.capacity() - 8); // the RIFF size
    Files.write(wav, b.array());
    return wav;
  }
}
