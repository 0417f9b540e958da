package org.rhythmsearch.audio;

import java.util.List;
import java.util.Locale;

/** Audio containers RhythmSearch decodes, each with the file extensions it is found under. */
public enum Container {
  WAV("WAV", List.of("wav", "wave")),
  AIFF("AIFF", List.of("aif", "aiff", "aifc")),
  AU("AU", List.of("au", "snd")),
  OGG_VORBIS("OGG Vorbis", List.of("ogg", "oga")),
  OGG_OPUS("Ogg Opus", List.of("opus")),
  MP3("MP3", List.of("mp3")),
  FLAC("FLAC", List.of("flac"));

  private final String displayName;
  private final List<String> extensions;

  Container(String displayName, List<String> extensions) {
    this.displayName = displayName;
    this.extensions = extensions;
  }

  /** Human name, e.g. "OGG Vorbis". */
  public String displayName() {
    return displayName;
  }

  /** Lower-case file extensions without the dot. */
  public List<String> extensions() {
    return extensions;
  }

  /** Whether a file name has one of the extensions of any supported container. */
  public static boolean hasSupportedExtension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    for (Container c : values()) {
      if (c.extensions.contains(ext)) {
        return true;
      }
    }
    return false;
  }
}
