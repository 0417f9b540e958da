package org.rhythmsearch.http;

import java.nio.file.Path;
import org.rhythmsearch.audio.AudioDecodeException;

/**
 * A request the API refuses or cannot answer: an HTTP status and a one-line message (naming the
 * parameter or file at fault), sent as {@code {"error": message, "status": status}}.
 */
final class ApiError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiError badParameter(String name, String reason, Object value) {
    return new ApiError(400, name + ": " + reason + "; " + name + "=" + value);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  /** A decoder's refusal as an API error: 415 for what is not audio we decode, 400 for a range, else 422. */
  /** A decoder's refusal as an API error: 415 for what is not audio we decode, 400 for a range, else 422. */
  static ApiError decoding(AudioDecodeException e, Path file, String what, String startParam,
      double start) {
    String message = e.getMessage().replace(file.toString(), what);
    return switch (e.reason()) {
      case NOT_AUDIO, UNSUPPORTED_CODEC, EMPTY -> new ApiError(415, message);
      case OUT_OF_RANGE -> badParameter(startParam, "beyond the end of the audio (" + message + ")", start);
      default -> new ApiError(422, message);
    };
  }
}
