package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * Track-level rhythm search over a loaded index. A query track is cut into excerpts like the indexed
 * tracks; every query excerpt is compared with every indexed excerpt (exact search), and each indexed
 * track's score is the <b>best excerpt-pair similarity</b> it reaches (max over query excerpts × its
 * excerpts); the pair reaching it gives the reported query and match offsets. Tracks with the query's
 * content hash (the query file itself, under any name) are left out. Ties: lower track id first.
 *
 * <p>Thread-safe (immutable after construction).
 */
public final class TrackSearch {

  /** One ranked result. */
  public record Hit(TrackRecord track, double score, double queryOffsetSeconds, double matchOffsetSeconds) {}

  private final Snapshot snapshot;
  private final ExactIndex index;

  public TrackSearch(Snapshot snapshot) {
    this.snapshot = snapshot;
    this.index = new ExactIndex(snapshot.vectors());
  }

  /** The loaded index. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The {@code k} tracks most similar in rhythm to {@code query}, best first.
   *
   * @param excludeHash content hash of the query file (its own track is left out), or null
   * @throws IllegalArgumentException when the query was made with another feature configuration
   */
  public List<Hit> query(TrackFeatures query, String excludeHash, int k, Metric metric) {
    if (!query.config().canonical().equals(snapshot.config().canonical())) {
      throw new IllegalArgumentException("query vectors are " + query.config().id() + " but the index holds "
          + snapshot.config().id());
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    List<TrackRecord> tracks = snapshot.tracks();
    int n = tracks.size();
    float[] best = new float[n];
    Arrays.fill(best, Float.NEGATIVE_INFINITY);
    int[] bestRow = new int[n];
    double[] bestQuery = new double[n];
    int[] rowTrack = snapshot.excerptTrack();
    for (ExcerptVector q : query.excerpts()) {
      float[] scores = index.scores(q.vector(), metric);
      for (int r = 0; r < scores.length; r++) {
        int t = rowTrack[r];
        if (scores[r] > best[t]) {
          best[t] = scores[r];
          bestRow[t] = r;
          bestQuery[t] = q.startSeconds();
        }
      }
    }
    List<Hit> hits = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      TrackRecord rec = tracks.get(t);
      if (best[t] == Float.NEGATIVE_INFINITY || (excludeHash != null && excludeHash.equals(rec.hash()))) {
        continue;
      }
      hits.add(new Hit(rec, best[t], bestQuery[t], snapshot.excerptStart()[bestRow[t]]));
    }
    hits.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingLong(h -> h.track().id()));
    return hits.size() > k ? List.copyOf(hits.subList(0, k)) : List.copyOf(hits);
  }
}
