package org.rhythmsearch.store;

import java.io.IOException;

/**
 * An index file cannot be used: not an index, another schema version, another feature
 * configuration, corrupt, or an SQLite error. The message names the file and the reason in one line.
 *
 * <p>Immutable; thread-safe.
 */
public final class StoreException extends IOException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
