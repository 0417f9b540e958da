package org.rhythmsearch.search;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * Which indexed tracks an answer may hold: those whose tempo (the median of their excerpts') lies in
 * [{@code minBpm}, {@code maxBpm}] (a track of unknown tempo only when the range is all tempi), and,
 * with {@code excludeQueryFolder}, none in the query file's own folder (its album, its other takes).
 */
public record QueryFilter(double minBpm, double maxBpm, boolean excludeQueryFolder) {

  /** Every track. */
  public static final QueryFilter NONE = new QueryFilter(0, Double.POSITIVE_INFINITY, false);

  public QueryFilter {
    if (!(minBpm >= 0 && maxBpm >= minBpm)) {
      throw new IllegalArgumentException("the tempo range must be 0 <= min <= max; was " + minBpm + "-" + maxBpm);
    }
  }

  boolean allTempi() {
    return minBpm == 0 && maxBpm == Double.POSITIVE_INFINITY;
  }

  /**
   * The rows of {@code snapshot} whose tracks this filter leaves out, as a predicate; null when it lets
   * every track through.
   *
   * @param trackTempo the tempo of a track (by index), NaN when unknown
   * @param queryPath the query file, whose folder {@code excludeQueryFolder} leaves out
   */
  IntPredicate excludedRows(Snapshot snapshot, IntToDoubleFunction trackTempo, String queryPath) {
    if (allTempi() && !excludeQueryFolder) {
      return null;
    }
    Path folder = null;
    if (excludeQueryFolder) {
      try {
        folder = Path.of(queryPath).toAbsolutePath().normalize().getParent();
      } catch (InvalidPathException e) {
        folder = null;
      }
    }
    List<TrackRecord> tracks = snapshot.tracks();
    boolean[] out = new boolean[tracks.size()];
    for (int t = 0; t < out.length; t++) {
      if (!allTempi()) {
        double tempo = trackTempo.applyAsDouble(t);
        out[t] = !(tempo >= minBpm && tempo <= maxBpm);
      }
      if (folder != null && !out[t]) {
        Path p = Path.of(tracks.get(t).path()).toAbsolutePath().normalize().getParent();
        out[t] = folder.equals(p);
      }
    }
    int[] rowTrack = snapshot.excerptTrack();
    return r -> out[rowTrack[r]];
  }
}
