package org.rhythmsearch.features;

import java.util.List;
import org.rhythmsearch.audio.AudioDecoder.Damage;

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
 * @param damage what was wrong with the file's stream (its audio ended early; the excerpts are those
 *     before the damage), or null when it was whole
 */
public record TrackFeatures(
    String source,
    FeatureConfig config,
    double durationSeconds,
    double hopSeconds,
    List<ExcerptVector> excerpts,
    List<SkippedExcerpt> skipped,
    Damage damage) {

  public TrackFeatures {
    excerpts = List.copyOf(excerpts);
    skipped = List.copyOf(skipped);
  }

  /** Features of an undamaged stream. */
  public TrackFeatures(String source, FeatureConfig config, double durationSeconds, double hopSeconds,
      List<ExcerptVector> excerpts, List<SkippedExcerpt> skipped) {
    this(source, config, durationSeconds, hopSeconds, excerpts, skipped, null);
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
    if (excerpts.isEmpty() && damage != null) {
      return "nothing usable before the damage (" + damage.reason() + ")";
    }
    if (excerpts.isEmpty() && tooShort()) { // a clip's one excerpt is shorter, and usable
      return String.format("too short (%.2f s < %.0f s excerpt)", durationSeconds, config.excerptSeconds());
    }
    if (excerpts.isEmpty()) {
      return "no usable excerpt (" + skipped.get(0).reason() + ")";
    }
    return null;
  }

  /**
   * What an index records as the track's problem: {@link #problem()} when it has no vector, else its
   * damage unless minor ({@code "damaged, indexed up to 95.20 s: decoded 95.20 s of the 200.00 s its
   * header declares"}), else null.
   */
  public String recordedProblem() {
    if (problem() != null) {
      return problem();
    }
    if (damage != null && !damage.minor()) {
      return String.format("damaged, indexed up to %.2f s: %s", durationSeconds, damage.reason());
    }
    return null;
  }
}
