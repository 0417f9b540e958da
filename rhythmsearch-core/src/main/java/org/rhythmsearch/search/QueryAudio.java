package org.rhythmsearch.search;

import java.io.IOException;
import java.nio.file.Path;
import org.rhythmsearch.audio.AudioStream;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;

/**
 * A query file decoded and analysed, before any index is loaded (so that a caller can load the index
 * meanwhile): its whole excerpts, or one clip of 4 to 10 s ({@link FeatureExtractor#clip}), and its
 * content hash, by which its own track is left out of answers ({@link QueryService#query(QueryAudio,
 * QueryOptions, QueryFilter)}).
 *
 * @param audio the file
 * @param features its excerpts (whole, or one clip)
 * @param hash its content hash
 * @param seconds the time spent decoding and analysing
 */
public record QueryAudio(Path audio, TrackFeatures features, String hash, double seconds) {

  /**
   * Decodes and analyses the part of {@code audio} from {@code fromSeconds} lasting {@code seconds}
   * (infinite: to the end) with {@code config}, the index's feature configuration. A part (or a file)
   * shorter than one excerpt but at least {@link FeatureExtractor#MIN_CLIP_SECONDS} long is one clip.
   *
   * @throws QueryException when it gives no vector (too short, silent)
   */
  public static QueryAudio of(FeatureConfig config, Path audio, double fromSeconds, double seconds)
      throws IOException, QueryException {
    long t0 = System.nanoTime();
    FeatureExtractor fx = new FeatureExtractor(config);
    double hop = config.excerptSeconds();
    boolean section = !(fromSeconds == 0 && seconds == Double.POSITIVE_INFINITY);
    double max = AudioStream.DEFAULT_MAX_SECONDS;
    TrackFeatures q;
    if (section && seconds < hop) {
      q = fx.clip(audio, max, fromSeconds, seconds);
    } else {
      q = section ? fx.section(audio, hop, max, fromSeconds, seconds == Double.POSITIVE_INFINITY ? Double.MAX_VALUE
          : seconds) : fx.track(audio, hop, max);
      if (q.excerpts().isEmpty() && q.tooShort() && q.damage() == null
          && q.durationSeconds() >= FeatureExtractor.MIN_CLIP_SECONDS - FeatureExtractor.CLIP_SLACK_SECONDS) { // what there is makes one clip
        q = fx.clip(audio, max, fromSeconds, q.durationSeconds());
      }
    }
    if (q.excerpts().isEmpty() && q.durationSeconds() < FeatureExtractor.MIN_CLIP_SECONDS - FeatureExtractor.CLIP_SLACK_SECONDS) {
      throw new QueryException(audio + ": " + (section ? "the part from " + fromSeconds + " s holds " : "holds ")
          + String.format(java.util.Locale.ROOT, "%.2f", q.durationSeconds()) + " s of audio: too short (a query needs "
          + (int) FeatureExtractor.MIN_CLIP_SECONDS + " s or more)");
    }
    if (section && q.excerpts().isEmpty()) {
      throw new QueryException(audio + ": the part from " + fromSeconds + " s holds no usable " + hop + "-s excerpt ("
          + (q.durationSeconds() < hop ? "the file ends " + String.format(java.util.Locale.ROOT, "%.1f", q.durationSeconds())
          + " s after it starts" : q.problem()) + ")");
    }
    if (q.problem() != null) {
      throw new QueryException(audio + ": " + q.problem());
    }
    String hash = FileHash.sha256(audio);
    return new QueryAudio(audio, q, hash, (System.nanoTime() - t0) / 1e9);
  }
}
