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
   * What a walk found: the audio files (in order, each once), the files of folders it passed over with
   * the reason, and the files it took by their content although their name says otherwise.
   */
  public record Walk(List<Path> files, List<String> skipped, List<String> byContent) {}

  /**
   * The audio files of {@code paths}; a path that does not exist (or cannot be resolved, such as a
   * symbolic link loop), a folder that cannot be read or that holds no audio is told to {@code problems},
   * one line naming it, and the rest goes on.
   */
  public static List<Path> expand(List<Path> paths, Consumer<String> problems) {
    return walk(paths, problems).files();
  }

  /**
   * As {@link #expand}, also saying what was left out of each folder and why. In a folder, a file whose
   * extension is not an audio one is still taken when its first bytes are a supported container's (an
   * Ogg file named {@code .m4a}); a file named on the command line is always taken (decoding tells).
   */
  public static Walk walk(List<Path> paths, Consumer<String> problems) {
    List<Path> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> byContent = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        int before = out.size();
        int others = 0;
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path f : walk.sorted().toList()) {
            if (Files.isDirectory(f)) {
              continue;
            }
            if (!Files.isRegularFile(f)) {
              skipped.add(f + ": not a regular file (a pipe, FIFO, device or broken link)");
              others++;
            } else if (Container.hasSupportedExtension(f.getFileName().toString())) {
              out.add(f);
            } else {
              String what = magic(f);
              if (what != null) {
                out.add(f);
                byContent.add(f + ": " + what + " under another name, read by its content");
              } else {
                skipped.add(f + ": not audio by its name or its first bytes");
                others++;
              }
            }
          }
        } catch (IOException | UncheckedIOException e) {
          problems.accept(p + ": cannot read the folder (" + e.getMessage() + ")");
          continue;
        }
        if (out.size() == before) {
          problems.accept(p + ": no audio files in this folder" + (others == 0 ? " (it is empty)"
              : " (" + others + " other file" + (others == 1 ? "" : "s") + " skipped; --verbose lists them)"));
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
    return new Walk(unique, skipped, byContent);
  }

  /**
   * The container a file's first bytes announce, or null (the supported ones; MP3 only with an ID3 tag).
   * Stricter than {@link AudioSniffer#sniff}, which is meant for files named as audio and takes an MPEG
   * frame sync anywhere in the head as MP3: in a folder walk that would take compressed files and images
   * for MP3 (it did: a .gz changelog and a .png icon of a Debian package).
   */
  private static String magic(Path f) {
    byte[] h;
    try (java.io.InputStream in = Files.newInputStream(f)) {
      h = in.readNBytes(12);
    } catch (IOException e) {
      return null;
    }
    if (AudioSniffer.startsWith(h, 0, "RIFF") && AudioSniffer.startsWith(h, 8, "WAVE")) {
      return "a WAV file";
    }
    if (AudioSniffer.startsWith(h, 0, "FORM") && (AudioSniffer.startsWith(h, 8, "AIFF") || AudioSniffer.startsWith(h, 8, "AIFC"))) {
      return "an AIFF file";
    }
    if (AudioSniffer.startsWith(h, 0, "OggS")) {
      return "an Ogg file";
    }
    if (AudioSniffer.startsWith(h, 0, "fLaC")) {
      return "a FLAC file";
    }
    if (AudioSniffer.startsWith(h, 0, "ID3")) {
      return "an MP3 file (ID3 tag)";
    }
    return null;
  }
}
