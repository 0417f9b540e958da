package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * The excerpt scores of one query gathered into track scores ({@link TrackSearch}): per track its best
 * pair, the sum over query excerpts of each one's best score, and the votes of the excerpts' nearest
 * rows; ranked by an {@link Aggregation} into hits.
 *
 * <p>Not thread-safe: one per query.
 */
final class TrackScores {

  private final Snapshot snapshot;
  private final double[] trackTempo;
  private final int[] rowTrack;
  private final boolean[] excluded;
  private final java.util.function.IntPredicate excludeRows;
  private final float[] best;
  private final int[] bestRow;
  private final double[] bestQuery;
  private final double[] sumOfBest;
  private final int[] votes;
  private final float[] perQuery;
  private final int[] touched;
  private int touchedCount;
  private double queryStart;
  private double[] key;
  /** The lowest score offered for the current query excerpt, and the sums of those floors (all, and per track touched). */
  private float floor;
  private double floors;
  private final double[] floorOfTouched;
  private int nearest;
  private float nearestScore;

  /**
   * @param trackTempo each track's tempo (reported with its hit)
   * @param excluded tracks left out
   * @param excludeRows rows left out, or null
   */
  TrackScores(Snapshot snapshot, double[] trackTempo, boolean[] excluded, java.util.function.IntPredicate excludeRows) {
    int tracks = snapshot.tracks().size();
    this.snapshot = snapshot;
    this.trackTempo = trackTempo;
    this.rowTrack = snapshot.excerptTrack();
    this.excluded = excluded;
    this.excludeRows = excludeRows;
    best = new float[tracks];
    Arrays.fill(best, Float.NEGATIVE_INFINITY);
    bestRow = new int[tracks];
    bestQuery = new double[tracks];
    sumOfBest = new double[tracks];
    votes = new int[tracks];
    perQuery = new float[tracks];
    Arrays.fill(perQuery, Float.NEGATIVE_INFINITY);
    touched = new int[tracks];
    floorOfTouched = new double[tracks];
  }

  void startQuery(double start) {
    queryStart = start;
    floor = Float.POSITIVE_INFINITY;
    nearest = -1;
    nearestScore = Float.NEGATIVE_INFINITY;
  }

  void offer(int r, float s) {
    int t = rowTrack[r];
    if (s == Float.NEGATIVE_INFINITY || excluded[t] || (excludeRows != null && excludeRows.test(r))) {
      return;
    }
    if (perQuery[t] == Float.NEGATIVE_INFINITY) {
      touched[touchedCount++] = t;
    }
    if (s < floor) {
      floor = s;
    }
    if (s > perQuery[t]) {
      perQuery[t] = s;
    }
    if (s > best[t]) {
      best[t] = s;
      bestRow[t] = r;
      bestQuery[t] = queryStart;
    }
    if (s > nearestScore) {
      nearestScore = s;
      nearest = r;
    }
  }

  void endQuery() {
    if (touchedCount > 0) {
      floors += floor;
    }
    for (int i = 0; i < touchedCount; i++) {
      int t = touched[i];
      sumOfBest[t] += perQuery[t];
      floorOfTouched[t] += floor;
      perQuery[t] = Float.NEGATIVE_INFINITY;
    }
    touchedCount = 0;
    if (nearest >= 0) {
      votes[rowTrack[nearest]]++;
    }
  }

  /**
   * The (at most) {@code count} tracks of highest aggregate score, best first, where the scores were
   * offered for some rows only (an approximate index's candidates): with {@link Aggregation#MEAN}, a
   * query excerpt that offered nothing of a track counts the lowest score it offered at all, not
   * nothing, so a track found by most excerpts is not pushed down by the others.
   */
  int[] best(Aggregation aggregation, int queries, int count) {
    if (aggregation == Aggregation.MEAN) {
      for (int t = 0; t < sumOfBest.length; t++) {
        if (best[t] != Float.NEGATIVE_INFINITY) {
          sumOfBest[t] += floors - floorOfTouched[t];
        }
      }
    }
    List<Integer> order = order(aggregation, queries);
    int[] out = new int[Math.min(count, order.size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = order.get(i);
    }
    return out;
  }

  /** Every scored track by aggregate score, best first (ties: lower id), with the keys in {@code key}. */
  private List<Integer> order(Aggregation aggregation, int queries) {
    List<TrackRecord> tracks = snapshot.tracks();
    int n = tracks.size();
    List<Integer> order = new ArrayList<>();
    key = new double[n];
    for (int t = 0; t < n; t++) {
      if (best[t] == Float.NEGATIVE_INFINITY) {
        continue;
      }
      key[t] = switch (aggregation) {
        case MAX -> best[t];
        case MEAN -> sumOfBest[t] / queries;
        // votes tie often: the best pair similarity (in [-1, 1] for cosine) breaks the tie
        case VOTE -> votes[t] * 4.0 + Math.max(-1, Math.min(1, best[t]));
      };
      order.add(t);
    }
    double[] keys = key;
    order.sort(Comparator.comparingDouble((Integer t) -> -keys[t]).thenComparingLong(t -> tracks.get(t).id()));
    return order;
  }

  /**
   * The best {@code k} hits; tracks with one {@code sameness} key (the same content, or the same recording) are
   * one hit, the best-ranked, the others' paths listed with it.
   */
  List<TrackSearch.Hit> ranked(Aggregation aggregation, int queries, int k, List<TrackRecord> tracks,
      java.util.function.Function<TrackRecord, String> sameness) {
    List<Integer> order = order(aggregation, queries);
    List<TrackSearch.Hit> hits = new ArrayList<>();
    java.util.Map<String, List<String>> samePaths = new java.util.HashMap<>();
    for (int t : order) {
      String hash = sameness.apply(tracks.get(t));
      List<String> same = hash == null ? null : samePaths.get(hash);
      if (same != null) {
        same.add(tracks.get(t).path());
        continue;
      }
      if (hits.size() == k) {
        continue; // no new hit; later tracks may still be another path of a hit's content
      }
      List<String> mine = new ArrayList<>();
      if (hash != null) {
        samePaths.put(hash, mine);
      }
      double score = aggregation == Aggregation.VOTE ? votes[t] : key[t];
      hits.add(new TrackSearch.Hit(tracks.get(t), score, bestQuery[t], snapshot.excerptStart()[bestRow[t]], trackTempo[t], best[t],
          mine));
    }
    return List.copyOf(hits);
  }
}
