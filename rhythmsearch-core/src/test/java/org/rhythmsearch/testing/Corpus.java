package org.rhythmsearch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small generated music collection: drum tracks whose tempo identifies the "song". */
public final class Corpus {

  /** Tempi of the generated songs, BPM: far enough apart that their beat spectra differ clearly. */
  public static final double[] TEMPI = {72, 90, 108, 126, 144, 166};

  private Corpus() {}

  /**
   * Writes one 22050-Hz 16-bit WAV per tempo into {@code dir} ({@code song-<bpm>.wav}), {@code seconds}
   * long, with off-beats on every other song.
   */
  public static List<Path> songs(Path dir, double seconds) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < TEMPI.length; i++) {
      Path f = dir.resolve("song-" + (int) TEMPI[i] + ".wav");
      Signals.writeWav16(f, 22050, Signals.clickTrack(TEMPI[i], seconds, 22050, i % 2 == 0 ? 0.5 : 0, 100 + i));
      out.add(f);
    }
    return out;
  }
}
