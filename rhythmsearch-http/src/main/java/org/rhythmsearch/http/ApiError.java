package org.rhythmsearch.http;

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
}
