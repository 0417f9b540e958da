package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rhythmsearch.store.TrackRecord;

/**
 * A playlist that walks by rhythm: from a seed track, each next track is the one whose rhythm is
 * closest to the last one's (the track score of {@code query}) among the tracks not yet played; a
 * recording held by several files is played once. It stops early when no track is left.
 *
 * <p>Stateless; thread-safe as the {@link QueryService} is.
 */
public final class Playlist {

  private Playlist() {}

  /**
   * One track of the playlist.
   *
   * @param score the track's score against the one before it (NaN for the seed)
   */
  public record Step(TrackRecord track, String name, double score) {}

  /**
   * A playlist of up to {@code length} tracks starting with the indexed track {@code seed} (path or id),
   * each next one queried with {@code options} (its {@code k} is raised as needed to find one not yet
   * played).
   *
   * @throws QueryException when the seed is not indexed or has no vectors
   */
  public static List<Step> of(QueryService service, String seed, int length, QueryOptions options)
      throws QueryException {
    if (length < 1) {
      throw new IllegalArgumentException("a playlist has at least one track; length=" + length);
    }
    TrackRecord first = service.track(seed).orElseThrow(() -> new QueryException(seed
        + ": no such track in the index (give its path as indexed, or its id)"));
    List<Step> out = new ArrayList<>();
    out.add(new Step(first, service.name(first), Double.NaN));
    Set<String> played = new HashSet<>();
    played.add(first.path());
    int tracks = service.snapshot().tracks().size();
    TrackRecord last = first;
    while (out.size() < length) {
      QueryResult.Match next = null;
      for (int k = Math.min(tracks, length + 10); next == null; k = Math.min(tracks, k * 4)) {
        QueryResult r = service.queryTrack(Long.toString(last.id()), withK(options, k));
        r.leftOut().forEach(t -> played.add(t.path())); // the last track's other files
        for (QueryResult.Match m : r.matches()) {
          if (!played.contains(m.track().path()) && m.samePaths().stream().noneMatch(played::contains)) {
            next = m;
            break;
          }
        }
        if (next == null && (k >= tracks || r.matches().size() < k)) {
          return out; // every track with vectors is played
        }
      }
      played.add(next.track().path());
      played.addAll(next.samePaths());
      out.add(new Step(next.track(), next.name(), next.score()));
      last = next.track();
    }
    return out;
  }

  private static QueryOptions withK(QueryOptions o, int k) {
    return new QueryOptions(k, o.aggregation(), o.metric(), o.search(), o.tempoTolerance(), o.alignment());
  }
}
