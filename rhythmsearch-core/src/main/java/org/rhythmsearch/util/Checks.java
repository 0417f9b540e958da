package org.rhythmsearch.util;

/** Argument checks whose messages name the argument and its value. */
public final class Checks {

  private Checks() {}

  /**
   * {@code value}, when it is at least 1.
   *
   * @throws IllegalArgumentException "NAME must be >= 1; NAME=VALUE"
   */
  public static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1; " + name + "=" + value);
    }
    return value;
  }
}
