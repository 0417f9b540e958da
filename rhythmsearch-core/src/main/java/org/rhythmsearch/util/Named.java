package org.rhythmsearch.util;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum constant with a stable, persisted identifier: its name in lower case with {@code _} as
 * {@code -} (e.g. {@code BEAT_SPECTRUM} is "beat-spectrum"). Renaming a constant changes what is
 * stored, so constants are named after their identifiers.
 */
public interface Named {

  /** The enum constant's name (implemented by every enum). */
  String name();

  /** Stable lower-case identifier, e.g. "cosine". */
  default String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant of {@code type} whose {@link #id()} is {@code id} (case-insensitive).
   *
   * @param what what the constants are, for the message (e.g. "metric")
   * @throws IllegalArgumentException naming the known identifiers
   */
  static <E extends Enum<E> & Named> E byId(Class<E> type, String id, String what) {
    for (E e : type.getEnumConstants()) {
      if (e.id().equals(id.toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + id + "'; known: "
        + Arrays.stream(type.getEnumConstants()).map(Named::id).collect(Collectors.joining(", ")));
  }
}
