package org.rhythmsearch.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's parameters by name (query string, form fields or JSON keys, one value each), read with
 * checks: a wrong or unknown parameter is a 400 that names it.
 */
final class Params {

  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  /** {@code values}, refusing any name not in {@code known}. */
  static Params of(Map<String, String> values, Set<String> known) {
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw new ApiError(400, name + ": unknown parameter; known: " + String.join(", ", new TreeSet<>(known)));
      }
    }
    return new Params(new LinkedHashMap<>(values));
  }

  /** The first value of each name in a multi-valued map (query string, form). */
  static Map<String, String> first(Map<String, java.util.List<String>> multi) {
    Map<String, String> out = new LinkedHashMap<>();
    multi.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  boolean has(String name) {
    return values.containsKey(name) && !values.get(name).isEmpty();
  }

  String string(String name, String dflt) {
    return has(name) ? values.get(name) : dflt;
  }

  int integer(String name, int dflt, int min, int max) {
    if (!has(name)) {
      return dflt;
    }
    String v = values.get(name);
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw ApiError.badParameter(name, "must be from " + min + " to " + max, v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiError.badParameter(name, "must be an integer from " + min + " to " + max, v);
    }
  }

  /** A number in [min, max] ({@code maxExclusive}: [min, max)). */
  double number(String name, double dflt, double min, double max, boolean maxExclusive) {
    if (!has(name)) {
      return dflt;
    }
    String v = values.get(name);
    String range = (maxExclusive ? "in [" + min + ", " + max + ")" : "from " + min + " to " + max);
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badParameter(name, "must be a number " + range, v);
    }
    if (!(d >= min && (maxExclusive ? d < max : d <= max))) {
      throw ApiError.badParameter(name, "must be a number " + range, v);
    }
    return d;
  }

  boolean bool(String name, boolean dflt) {
    if (!has(name)) {
      return dflt;
    }
    String v = values.get(name).trim();
    if (v.equals("true") || v.equals("1")) {
      return true;
    }
    if (v.equals("false") || v.equals("0")) {
      return false;
    }
    throw ApiError.badParameter(name, "must be true or false", v);
  }

  /** A track id (positive integer); {@code required} makes its absence a 400. */
  Long id(String name, boolean required) {
    if (!has(name)) {
      if (required) {
        throw new ApiError(400, name + ": missing; give a track id (see GET /api/tracks)");
      }
      return null;
    }
    return parseId(name, values.get(name));
  }

  static long parseId(String name, String v) {
    if (v == null || !v.trim().matches("\\d{1,18}")) {
      throw ApiError.badParameter(name, "must be a track id (a positive integer)", v);
    }
    return Long.parseLong(v.trim());
  }
}
