package org.rhythmsearch.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rhythmsearch.json.Json;

/**
 * How the service answers: one line of JSON per document, and every refusal as {@code {"error": …,
 * "status": …}} (Jetty's own refusals of malformed requests too).
 *
 * <p>Stateless; thread-safe.
 */
final class Responses {

  /** Documents are one line of JSON each. */
  static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private Responses() {}

  static void json(Context ctx, int status, Object doc) {
    try {
      ctx.status(status).contentType("application/json").result(COMPACT.writeValueAsBytes(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void error(Context ctx, int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message.replace('\n', ' '));
    m.put("status", status);
    Responses.json(ctx, status, m);
  }

  /** Whether {@code e} (or a cause) is a container's refusal of a request body over its size limit. */
  static boolean tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("exceeds") && (m.contains("max") || m.contains("size")) || m.contains("too large")
          || m.contains("too big")) {
        return true;
      }
    }
    return false;
  }

  /** Jetty's own refusals (malformed requests, before any route) as one line of JSON too, never an HTML page. */
  static final class JsonErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    protected void generateResponse(org.eclipse.jetty.server.Request request,
        org.eclipse.jetty.server.Response response,
        int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback) {
      response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, java.nio.ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int code, String message) {
      Map<String, Object> m = new LinkedHashMap<>();
      String reason = org.eclipse.jetty.http.HttpStatus.getMessage(code);
      boolean plain = message == null || message.isBlank() || message.equals(reason);
      m.put("error", plain ? reason : reason + ": " + message.replace('\n', ' '));
      m.put("status", code);
      try {
        return COMPACT.writeValueAsBytes(m);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
