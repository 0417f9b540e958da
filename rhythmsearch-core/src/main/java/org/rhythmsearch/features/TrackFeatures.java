package org.rhythmsearch.features;

import java.util.List;

/**
 * The rhythm vectors of a whole track, cut into excerpts of {@link FeatureConfig#excerptSeconds()}
 * every {@code hopSeconds}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param source the track (file path or other label)
 * @param config the configuration that produced the vectors
 * @param durationSeconds track duration, seconds
 * @param hopSeconds distance between excerpt starts, seconds
 * @param excerpts one vector per usable excerpt, in time order
 * @param skipped excerpts that gave no vector, with reasons
 */
public record TrackFeatures(
    String source,
    FeatureConfig config,
    double durationSeconds,
    double hopSeconds,
    List<ExcerptVector> excerpts,
    List<SkippedExcerpt> skipped) {

  public TrackFeatures {
    excerpts = List.copyOf(excerpts);
    skipped = List.copyOf(skipped);
  }

  /**
   * The track's tempo: the median of its excerpts' tempi (those that have one), beats per minute, or
   * NaN when no excerpt has a tempo.
   */
  public double tempoBpm() {
    return TempoEstimator.median(excerpts.stream().mapToDouble(ExcerptVector::tempoBpm).toArray());
  }

  /** Whether the track is shorter than one excerpt, so it has no excerpts at all. */
  public boolean tooShort() {
    return durationSeconds < config.excerptSeconds();
  }

  /** A one-line reason when the track produced no vector, else null. */
  public String problem() {
    if (tooShort()) {
      return String.format("too short (%.2f s < %.0f s excerpt)", durationSeconds, config.excerptSeconds());
    }
    if (excerpts.isEmpty()) {
      return "no usable excerpt (" + skipped.get(0).reason() + ")";
    }
    return null;
  }
}
