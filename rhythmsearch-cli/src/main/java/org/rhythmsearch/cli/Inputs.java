package org.rhythmsearch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.audio.AudioFiles;

/**
 * Audio inputs given as PATH... and/or a list file (one path per line, '#' comments; an optional second,
 * TAB-separated column names the file's group, e.g. its source package).
 */
final class Inputs {

  private Inputs() {}

  /**
   * The audio files named by {@code paths} and the lines of {@code listFile} (may be null), folders
   * walked; a listed path that names nothing usable goes to {@code problems} and is skipped.
   *
   * @throws IllegalArgumentException naming a missing list file
   */
  static List<Path> collect(List<Path> paths, Path listFile, java.util.function.Consumer<String> problems)
      throws IOException {
    List<Path> all = new ArrayList<>(paths);
    if (listFile != null) {
      if (!Files.isRegularFile(listFile)) {
        throw new IllegalArgumentException("no such list file: " + listFile);
      }
      for (String line : Files.readAllLines(listFile)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          all.add(Path.of(line.split("\t", 2)[0].strip()));
        }
      }
    }
    return AudioFiles.expand(all, problems);
  }

  /**
   * The group of every file of {@code files}: the list file's second column where it has one, else
   * the name of the file's folder (so PATH... arguments group by folder).
   */
  static Map<Path, String> groups(List<Path> files, Path listFile) throws IOException {
    Map<Path, String> listed = new HashMap<>();
    if (listFile != null) {
      for (String line : Files.readAllLines(listFile)) {
        String[] cols = line.split("\t", 3);
        if (!line.startsWith("#") && cols.length >= 2 && !cols[1].isBlank()) {
          listed.put(Path.of(cols[0].strip()), cols[1].strip());
        }
      }
    }
    Map<Path, String> out = new LinkedHashMap<>();
    for (Path f : files) {
      String g = listed.get(f);
      if (g == null) {
        Path parent = f.toAbsolutePath().getParent();
        g = parent == null || parent.getFileName() == null ? "." : parent.getFileName().toString();
      }
      out.put(f, g);
    }
    return out;
  }
}
