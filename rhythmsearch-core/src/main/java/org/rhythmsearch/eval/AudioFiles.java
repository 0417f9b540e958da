package org.rhythmsearch.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rhythmsearch.audio.Container;

/** Expands files and folders into the supported audio files they hold, sorted, folders walked. */
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
    return out;
  }
}
