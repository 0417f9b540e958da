package org.rhythmsearch.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Expands files and folders into the supported audio files they hold: folders are walked (sorted),
 * and a file reached twice (listed twice, or through a symbolic link) is kept once, at its first path.
 */
public final class AudioFiles {

  private AudioFiles() {}

  /**
   * The audio files of {@code paths}; a path that does not exist (or cannot be resolved, such as a
   * symbolic link loop) or a folder that cannot be read is told to {@code problems}, one line naming it,
   * and the rest goes on.
   */
  public static List<Path> expand(List<Path> paths, Consumer<String> problems) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(f -> Container.hasSupportedExtension(f.getFileName().toString()))
              .sorted()
              .forEach(out::add);
        } catch (IOException | UncheckedIOException e) {
          problems.accept(p + ": cannot read the folder (" + e.getMessage() + ")");
        }
      } else if (Files.exists(p)) {
        out.add(p);
      } else {
        problems.accept(p + ": no such file or folder" + (Files.isSymbolicLink(p) ? " (a broken or looping link)" : ""));
      }
    }
    java.util.Set<Path> seen = new java.util.HashSet<>();
    List<Path> unique = new ArrayList<>();
    for (Path p : out) {
      Path real;
      try {
        real = p.toRealPath();
      } catch (IOException e) {
        real = p.toAbsolutePath().normalize();
      }
      if (seen.add(real)) {
        unique.add(p);
      }
    }
    return unique;
  }
}
