package org.rhythmsearch.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rhythmsearch.audio.Container;

/**
 * Expands files and folders into the supported audio files they hold: folders are walked (sorted),
 * and a file reached twice (listed twice, or through a symbolic link) is kept once, at its first path.
 */
public final class AudioFiles {

  private AudioFiles() {}

  /**
   * @throws IllegalArgumentException naming a path that does not exist
   */
  public static List<Path> expand(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(f -> Container.hasSupportedExtension(f.getFileName().toString()))
              .sorted()
              .forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (Files.exists(p)) {
        out.add(p);
      } else {
        throw new IllegalArgumentException("no such file or folder: " + p);
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
