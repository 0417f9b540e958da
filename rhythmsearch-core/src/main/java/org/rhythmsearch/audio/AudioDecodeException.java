package org.rhythmsearch.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file could not be turned into audio samples. The message always names the file and the reason,
 * in one line, e.g. {@code "song.mp3: truncated MP3 (decoded 12.0 s of 30.0 s)"}.
 *
 * <p>Immutable; thread-safe.
 */
public final class AudioDecodeException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Why a file could not be decoded. */
  public enum Reason {
    /** The file does not exist or cannot be read. */
    UNREADABLE("cannot read file"),
    /** The file has zero bytes. */
    EMPTY("empty file (0 bytes)"),
    /** The content is not a recognised audio container. */
    NOT_AUDIO("not a recognised audio file"),
    /** A recognised container holding a codec we do not decode. */
    UNSUPPORTED_CODEC("unsupported codec"),
    /** The stream ends before the length its header declares, or the decoder failed mid-stream. */
    TRUNCATED("truncated or corrupt stream"),
    /** The stream is valid but holds no samples. */
    NO_SAMPLES("contains no audio samples"),
    /** The audio is longer than the maximum track length allowed. */
    TOO_LONG("longer than the maximum track length"),
    /** The requested time range lies outside the audio. */
    OUT_OF_RANGE("requested time range is outside the audio");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /** A short human description, e.g. "empty file (0 bytes)". */
    public String description() {
      return description;
    }
  }

  private final transient Path file;
  private final Reason reason;

  public AudioDecodeException(Path file, Reason reason, String detail) {
    this(file, reason, detail, null);
  }

  public AudioDecodeException(Path file, Reason reason, String detail, Throwable cause) {
    super(format(file, reason, detail), cause);
    this.file = file;
    this.reason = reason;
  }

  private static String format(Path file, Reason reason, String detail) {
    // control characters (a newline in a file name) are escaped, so the message stays one line
    String name = file == null ? "<input>"
        : file.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    return detail == null || detail.isBlank()
        ? name + ": " + reason.description()
        : name + ": " + reason.description() + " (" + detail + ")";
  }

  /** The file that failed. */
  public Path file() {
    return file;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
