package org.rhythmsearch.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * The bad-input matrix of issue 12: every supported format × every kind of damage or unusual content,
 * written into a folder at test time (the compressed formats start from the committed fixtures, no
 * encoder needed). Each file's name says what it is, e.g. {@code flac-truncated-50.flac}.
 */
public final class BadInputs {

  private BadInputs() {}

  /** The formats, each with a whole file to damage. */
  public static final List<String> FORMATS = List.of("wav", "aiff", "au", "flac", "mp3", "ogg", "opus");

  /** Writes every case into {@code dir} and returns the files. */
  public static List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    float[] clicks = Fixtures.click120Left(); // 11 s at 44.1 kHz
    for (String f : FORMATS) {
      byte[] whole = whole(f, dir, clicks);
      out.add(write(dir, f + "-whole." + f, whole));
      out.add(write(dir, f + "-empty." + f, new byte[0]));
      out.add(write(dir, f + "-1-byte." + f, Arrays.copyOf(whole, 1)));
      out.add(write(dir, f + "-header-only." + f, Arrays.copyOf(whole, headerLength(f, whole))));
      for (int pct : new int[] {10, 50, 99}) {
        out.add(write(dir, f + "-truncated-" + pct + "." + f, Arrays.copyOf(whole, whole.length * pct / 100)));
      }
      byte[] junk = random(50_000, f.hashCode());
      byte[] magic = Arrays.copyOf(whole, magicLength(f));
      System.arraycopy(magic, 0, junk, 0, magic.length);
      out.add(write(dir, f + "-random-with-magic." + f, junk));
      byte[] noise = random(50_000, 31 * f.hashCode());
      noise[0] = 0x12; // not a magic by chance
      out.add(write(dir, f + "-random-bytes." + f, noise));
    }
    // lying lengths and zero rates / channels in the headers that declare them
    byte[] wav = Files.readAllBytes(dir.resolve("wav-whole.wav"));
    out.add(write(dir, "wav-lying-length.wav", patchLe32(wav, indexOf(wav, "data") + 4, 0x7ffffff0)));
    out.add(write(dir, "wav-zero-rate.wav", patchLe32(wav, 24, 0)));
    out.add(write(dir, "wav-zero-channels.wav", patchLe16(wav, 22, 0)));
    byte[] aiff = Files.readAllBytes(dir.resolve("aiff-whole.aiff"));
    int comm = indexOf(aiff, "COMM") + 8;
    out.add(write(dir, "aiff-lying-length.aiff", patchBe32(aiff, comm + 2, 0x7fffffff)));
    out.add(write(dir, "aiff-zero-channels.aiff", patchBe16(aiff, comm, 0)));
    byte[] zeroRate = aiff.clone();
    Arrays.fill(zeroRate, comm + 8, comm + 18, (byte) 0); // 80-bit extended sample rate: 0
    out.add(write(dir, "aiff-zero-rate.aiff", zeroRate));
    byte[] au = Files.readAllBytes(dir.resolve("au-whole.au"));
    out.add(write(dir, "au-lying-length.au", patchBe32(au, 8, 0x7ffffff0)));
    out.add(write(dir, "au-zero-rate.au", patchBe32(au, 16, 0)));
    out.add(write(dir, "au-zero-channels.au", patchBe32(au, 20, 0)));
    byte[] flac = Files.readAllBytes(dir.resolve("flac-whole.flac"));
    byte[] lying = flac.clone(); // STREAMINFO's 36-bit total sample count: all ones
    lying[21] |= 0x0F;
    Arrays.fill(lying, 22, 26, (byte) 0xFF);
    out.add(write(dir, "flac-lying-length.flac", lying));
    byte[] flacZeroRate = flac.clone(); // the 20-bit sample rate at STREAMINFO bytes 10..12
    flacZeroRate[18] = 0;
    flacZeroRate[19] = 0;
    flacZeroRate[20] &= 0x0F;
    out.add(write(dir, "flac-zero-rate.flac", flacZeroRate));
    // unusual content, in WAV (every sample format) and in AIFF/AU where they have it
    out.add(wav(dir, "wav-silence.wav", 22050, 16, false, new float[30 * 22050]));
    out.add(wav(dir, "wav-3-s.wav", 22050, 16, false, Signals.clickTrack(120, 3, 22050, 0.5, 4)));
    out.add(wav(dir, "wav-1-hour.wav", 8000, 8, false, Signals.clickTrack(120, 3600, 8000, 0.5, 2)));
    float[] at22 = Signals.clickTrack(120, 21, 22050, 0.5, 3);
    out.add(wav(dir, "wav-8-bit.wav", 22050, 8, false, at22));
    out.add(wav(dir, "wav-24-bit.wav", 22050, 24, false, at22));
    out.add(wav(dir, "wav-32-bit.wav", 22050, 32, false, at22));
    out.add(wav(dir, "wav-32-bit-float.wav", 22050, 32, true, at22));
    out.add(javaSound(dir, "aiff-8-bit.aiff", AudioFileFormat.Type.AIFF, 22050, 8, at22));
    out.add(javaSound(dir, "aiff-24-bit.aiff", AudioFileFormat.Type.AIFF, 22050, 24, at22));
    out.add(javaSound(dir, "au-8-bit.au", AudioFileFormat.Type.AU, 22050, 8, at22));
    out.add(javaSound(dir, "au-24-bit.au", AudioFileFormat.Type.AU, 22050, 24, at22));
    for (int rate : new int[] {8000, 96000, 192000}) {
      out.add(wav(dir, "wav-" + rate / 1000 + "-khz.wav", rate, 16, false, Signals.clickTrack(120, 21, rate, 0.5, 3)));
    }
    for (int ch = 1; ch <= 8; ch++) {
      float[][] chans = new float[ch][];
      for (int c = 0; c < ch; c++) {
        chans[c] = at22;
      }
      out.add(wav(dir, "wav-" + ch + "-channels.wav", 22050, 16, false, chans));
    }
    return out;
  }

  private static byte[] whole(String format, Path dir, float[] clicks) throws IOException {
    return switch (format) {
      case "wav" -> Files.readAllBytes(wav(dir, "source.wav.tmp", 44100, 16, false, clicks));
      case "aiff" -> Files.readAllBytes(javaSound(dir, "source.aiff.tmp", AudioFileFormat.Type.AIFF, 44100, 16, clicks));
      case "au" -> Files.readAllBytes(javaSound(dir, "source.au.tmp", AudioFileFormat.Type.AU, 44100, 16, clicks));
      default -> Files.readAllBytes(Fixtures.resource("click120." + format));
    };
  }

  /** The bytes before the first audio data (for the compressed formats: the first 64 bytes). */
  private static int headerLength(String format, byte[] whole) {
    return switch (format) {
      case "wav" -> indexOf(whole, "data") + 8;
      case "aiff" -> indexOf(whole, "SSND") + 16;
      case "au" -> (int) be32(whole, 4);
      default -> 64;
    };
  }

  private static int magicLength(String format) {
    return switch (format) {
      case "wav", "aiff" -> 12; // RIFF/FORM, size, WAVE/AIFF
      case "mp3" -> 3; // "ID3"
      default -> 4; // ".snd", "fLaC", "OggS"
    };
  }

  private static Path wav(Path dir, String name, int rate, int bits, boolean floating, float[]... channels)
      throws IOException {
    Path f = dir.resolve(name);
    Signals.writeWav(f, rate, bits, floating, channels);
    return f;
  }

  private static Path javaSound(Path dir, String name, AudioFileFormat.Type type, int rate, int bits, float[] x)
      throws IOException {
    int bps = bits / 8;
    ByteBuffer b = ByteBuffer.allocate(x.length * bps).order(ByteOrder.BIG_ENDIAN);
    for (float v : x) {
      long s = Math.round(Math.max(-1, Math.min(v, 1 - 1e-9)) * ((1L << (bits - 1)) - 1));
      for (int i = bps - 1; i >= 0; i--) {
        b.put((byte) (s >> (8 * i)));
      }
    }
    AudioFormat fmt = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, bits, 1, bps, rate, true);
    Path f = dir.resolve(name);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), fmt, x.length)) {
      AudioSystem.write(in, type, f.toFile());
    }
    return f;
  }

  private static Path write(Path dir, String name, byte[] b) throws IOException {
    return Files.write(dir.resolve(name), b);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static int indexOf(byte[] b, String tag) {
    byte[] t = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + t.length <= b.length; i++) {
      for (int j = 0; j < t.length; j++) {
        if (b[i + j] != t[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no " + tag);
  }

  private static long be32(byte[] b, int p) {
    return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
  }

  private static byte[] patchLe32(byte[] b, int at, int v) {
    return patch(b, at, v, 4, ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] patchLe16(byte[] b, int at, int v) {
    return patch(b, at, v, 2, ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] patchBe32(byte[] b, int at, int v) {
    return patch(b, at, v, 4, ByteOrder.BIG_ENDIAN);
  }

  private static byte[] patchBe16(byte[] b, int at, int v) {
    return patch(b, at, v, 2, ByteOrder.BIG_ENDIAN);
  }

  /** A copy of {@code b} with the {@code bytes}-byte integer at {@code at} set to {@code v}. */
  private static byte[] patch(byte[] b, int at, int v, int bytes, ByteOrder order) {
    byte[] c = b.clone();
    ByteBuffer buf = ByteBuffer.wrap(c).order(order);
    if (bytes == 4) {
      buf.putInt(at, v);
    } else {
      buf.putShort(at, (short) v);
    }
    return c;
  }
}
