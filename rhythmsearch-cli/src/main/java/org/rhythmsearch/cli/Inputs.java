package org.rhythmsearch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.eval.AudioFiles;

/** Audio inputs given as PATH... and/or a list file (one path per line, '#' comments). */
final class Inputs {

  private Inputs() {}

  /**
   * The audio files named by {@code paths} and the lines of {@code listFile} (may be null), folders
   * walked.
   *
   * @throws IllegalArgumentException naming a missing file, folder or list
   */
  static List<Path> collect(List<Path> paths, Path listFile) throws IOException {
    List<Path> all = new ArrayList<>(paths);
    if (listFile != null) {
      if (!Files.isRegularFile(listFile)) {
        throw new IllegalArgumentException("no such list file: " + listFile);
      }
      for (String line : Files.readAllLines(listFile)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          all.add(Path.of(line.strip()));
        }
      }
    }
    return AudioFiles.expand(all);
  }
}
