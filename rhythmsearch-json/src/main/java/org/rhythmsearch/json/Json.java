package org.rhythmsearch.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** JSON of the command line (one document per command on stdout) and of the HTTP API, with one mapper. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("finite-or-null")
          .addSerializer(Double.class, new FiniteOrNull())
          .addSerializer(Double.TYPE, new FiniteOrNull()));

  /** Writes NaN and infinities, which JSON cannot hold, as null (e.g. an unknown tempo). */
  private static final class FiniteOrNull extends com.fasterxml.jackson.databind.ser.std.StdSerializer<Double> {
    FiniteOrNull() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, com.fasterxml.jackson.databind.SerializerProvider provider)
        throws java.io.IOException {
      if (Double.isFinite(value)) {
        gen.writeNumber(value);
      } else {
        gen.writeNull();
      }
    }
  }

  private Json() {}

  public static void write(PrintWriter out, Object document) {
    try {
      MAPPER.writeValue(out, document);
      out.println();
      out.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
