package org.rhythmsearch.audio;

import java.io.Closeable;
import java.io.IOException;

/** A decoder's output as mono float samples. Not thread-safe. */
interface MonoSource extends Closeable {

  /**
   * Reads up to {@code len} mono samples into {@code out[off..]}; returns the number read, or -1 at
   * the end.
   */
  int read(float[] out, int off, int len) throws IOException;
}
