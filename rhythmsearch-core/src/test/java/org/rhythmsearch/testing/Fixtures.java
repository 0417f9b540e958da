package org.rhythmsearch.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed encoded fixtures and the generator of the signal they were encoded from.
 *
 * <p>{@code src/test/resources/fixtures/click120.{mp3,ogg,flac}} were made once from
 * {@link #click120(Path)}'s WAV with ffmpeg 5.1 (see the README there); tests rebuild the WAV and
 * compare.
 */
public final class Fixtures {

  /** Sample rate of the fixture source, Hz. */
  public static final int RATE = 44100;

  private Fixtures() {}

  /** Left channel of the fixture: a 120-BPM drum track with straight off-beats, 11 s. */
  public static float[] click120Left() {
    return Signals.clickTrack(120, 11, RATE, 0.5, 1);
  }

  /** Writes the fixture source: 44.1 kHz, 16-bit stereo (right = 0.8 × left). */
  public static Path click120(Path wav) throws IOException {
    float[] left = click120Left();
    float[] right = new float[left.length];
    for (int i = 0; i < left.length; i++) {
      right[i] = 0.8f * left[i];
    }
    Signals.writeWav16(wav, RATE, left, right);
    return wav;
  }

  /** Path of a committed fixture file. */
  public static Path resource(String name) {
    try {
      var url = Fixtures.class.getResource("/fixtures/" + name);
      if (url == null) {
        throw new IllegalStateException("missing test fixture " + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the first {@code fraction} of a file's bytes to {@code out}. */
  public static Path truncatedCopy(Path in, Path out, double fraction) throws IOException {
    byte[] all = Files.readAllBytes(in);
    byte[] part = java.util.Arrays.copyOf(all, (int) (all.length * fraction));
    Files.write(out, part);
    return out;
  }

  /** Generates the fixture source WAV: {@code java ... Fixtures OUT.wav}. */
  public static void main(String[] args) throws IOException {
    click120(Path.of(args[0]));
  }
}
