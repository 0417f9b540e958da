package org.rhythmsearch.audio;

import java.nio.file.Path;

/**
 * What a file's headers say about its audio.
 *
 * @param file the file
 * @param container the container/codec recognised from the file's content
 * @param sampleRate sample rate in Hz
 * @param channels number of channels
 * @param durationSeconds duration in seconds as declared by the container, or {@code NaN} when the
 *     container does not declare it (e.g. an MP3 without a Xing/Info frame)
 */
public record AudioInfo(Path file, Container container, int sampleRate, int channels, double durationSeconds) {

  /** Whether the container declared its duration. */
  public boolean hasDuration() {
    return !Double.isNaN(durationSeconds);
  }
}
