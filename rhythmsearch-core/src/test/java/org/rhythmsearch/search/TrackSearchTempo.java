package org.rhythmsearch.search;

/** Test access to {@link TrackSearch}'s package-private tempo factors. */
public final class TrackSearchTempo {

  private TrackSearchTempo() {}

  public static double[] factors(double tolerance) {
    return TrackSearch.tempoFactors(tolerance);
  }
}
