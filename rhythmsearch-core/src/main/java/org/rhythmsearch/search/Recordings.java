package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * The same recording under several files: the same bytes (one SHA-256), or the same audio in another
 * format, bit rate or rip, recognised by its vectors: durations within {@value #DURATION_SLACK} s, and
 * the excerpts at the same starts alike, by cosine on average at least {@value #MEAN_COSINE} and each
 * at least {@value #MIN_COSINE}. Measured on demo songs (scripts/dedupe-thresholds.sh): MP3 at 64 and
 * 192 kbit/s, Opus at 48 kbit/s, FLAC at 44.1 kHz and a copy delayed by 0.3 s give means 0.948 to 1.000
 * (the lowest: a metal song at 64 kbit/s) and minima 0.903 to 1.000 against the WAV; of the demo index's
 * 1 431 pairs of different songs the closest has mean 0.978 and minimum 0.932, but durations 3.9 s apart
 * (two arrangements of one piece), and the next mean 0.884.
 *
 * <p>Vectors describe rhythm, not sound: two different recordings of the same duration whose rhythm
 * is the same throughout (one drum loop with other noise, as the tests' synthetic tracks are) are one
 * recording here. So grouping is asked for: {@code dedupe} computes the groups and keeps them as a note
 * for the rows they were found on ({@link #toNote}); then {@code index} keeps them current on
 * collections up to {@value #MAX_ROWS} excerpts, and answers list each recording once, with its other
 * files beside it ({@link #key}), and leave out every file of a query's recording.
 *
 * <p>Immutable; thread-safe.
 */
public final class Recordings {

  /** The note key under which {@code dedupe} keeps the groups. */
  public static final String NOTE = "recordings";
  /** Largest difference of durations within one recording, seconds. */
  public static final double DURATION_SLACK = 1.0;
  /** Least mean cosine of the excerpts at the same starts. */
  public static final double MEAN_COSINE = 0.93;
  /** Least cosine of any pair of excerpts at the same start. */
  public static final double MIN_COSINE = 0.85;
  /** Above this many excerpts, {@code index} does not renew the groups (run {@code dedupe} again). */
  public static final long MAX_ROWS = 200_000;

  private final long fingerprint;
  /** Groups of track ids, each of two or more, each sorted, by first id. */
  private final List<long[]> groups;
  private final Map<Long, Long> groupOf = new HashMap<>();

  private Recordings(long fingerprint, List<long[]> groups) {
    this.fingerprint = fingerprint;
    this.groups = List.copyOf(groups);
    for (long[] g : groups) {
      for (long id : g) {
        groupOf.put(id, g[0]);
      }
    }
  }

  /** The groups of track ids (each two or more, sorted; the groups by their first id). */
  public List<long[]> groups() {
    return groups;
  }

  /** The key of {@code t}'s recording: shared by every file of it, else its content hash. */
  public String key(TrackRecord t) {
    Long g = groupOf.get(t.id());
    return g == null ? t.hash() : "recording " + g;
  }

  /** Whether these groups were found on exactly {@code snapshot}'s rows. */
  public boolean covers(Snapshot snapshot) {
    return fingerprint == snapshot.rowFingerprint();
  }

  /** Finds the recordings held by several tracks of {@code snapshot}. */
  public static Recordings find(Snapshot snapshot) {
    List<TrackRecord> tracks = snapshot.tracks();
    Map<Integer, Map<Float, Integer>> rows = rowsByStart(snapshot);
    int n = tracks.size();
    int[] parent = new int[n];
    for (int t = 0; t < n; t++) {
      parent[t] = t;
    }
    Map<String, Integer> byHash = new HashMap<>();
    for (int t = 0; t < n; t++) {
      Integer same = byHash.putIfAbsent(tracks.get(t).hash(), t);
      if (same != null) {
        union(parent, same, t);
      }
    }
    // candidates: tracks with vectors by duration; only those within the slack of each other are compared
    Integer[] order = new Integer[n];
    for (int t = 0; t < n; t++) {
      order[t] = t;
    }
    Arrays.sort(order, Comparator.comparingDouble(t -> tracks.get(t).durationSeconds()));
    for (int i = 0; i < n; i++) {
      int a = order[i];
      if (!rows.containsKey(a)) {
        continue;
      }
      for (int j = i + 1; j < n; j++) {
        int b = order[j];
        if (tracks.get(b).durationSeconds() - tracks.get(a).durationSeconds() > DURATION_SLACK) {
          break;
        }
        if (rows.containsKey(b) && find(parent, a) != find(parent, b) && alike(snapshot, rows.get(a), rows.get(b))) {
          union(parent, a, b);
        }
      }
    }
    Map<Integer, List<Long>> members = new HashMap<>();
    for (int t = 0; t < n; t++) {
      members.computeIfAbsent(find(parent, t), r -> new ArrayList<>()).add(tracks.get(t).id());
    }
    List<long[]> groups = new ArrayList<>();
    for (List<Long> m : members.values()) {
      if (m.size() > 1) {
        groups.add(m.stream().mapToLong(Long::longValue).sorted().toArray());
      }
    }
    groups.sort(Comparator.comparingLong(g -> g[0]));
    return new Recordings(snapshot.rowFingerprint(), groups);
  }

  /**
   * The indexed tracks that hold the recording {@code query} was made from (its excerpts on the index's
   * grid), though not its bytes; none when the query is not on that grid.
   */
  public static List<TrackRecord> sameAs(Snapshot snapshot, TrackFeatures query) {
    List<TrackRecord> out = new ArrayList<>();
    if (query.excerpts().isEmpty() || query.tooShort()) {
      return out;
    }
    Map<Float, float[]> q = new HashMap<>();
    for (ExcerptVector x : query.excerpts()) {
      q.put((float) x.startSeconds(), x.vector());
    }
    Map<Integer, Map<Float, Integer>> rows = rowsByStart(snapshot);
    List<TrackRecord> tracks = snapshot.tracks();
    for (Map.Entry<Integer, Map<Float, Integer>> e : rows.entrySet()) {
      TrackRecord t = tracks.get(e.getKey());
      if (Math.abs(t.durationSeconds() - query.durationSeconds()) > DURATION_SLACK) {
        continue;
      }
      List<float[]> mine = new ArrayList<>();
      List<float[]> theirs = new ArrayList<>();
      for (Map.Entry<Float, Integer> r : e.getValue().entrySet()) {
        float[] v = q.get(r.getKey());
        if (v != null) {
          mine.add(v);
          theirs.add(snapshot.vectors().row(r.getValue()));
        }
      }
      if (alike(mine, theirs, Math.max(q.size(), e.getValue().size()))) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean alike(Snapshot s, Map<Float, Integer> a, Map<Float, Integer> b) {
    List<float[]> x = new ArrayList<>();
    List<float[]> y = new ArrayList<>();
    for (Map.Entry<Float, Integer> e : a.entrySet()) {
      Integer r = b.get(e.getKey());
      if (r != null) {
        x.add(s.vectors().row(e.getValue()));
        y.add(s.vectors().row(r));
      }
    }
    return alike(x, y, Math.max(a.size(), b.size()));
  }

  /** Alike: at most one excerpt without a partner, the mean and the least cosine above their bounds. */
  private static boolean alike(List<float[]> x, List<float[]> y, int most) {
    if (x.isEmpty() || x.size() < most - 1) {
      return false;
    }
    double sum = 0;
    for (int i = 0; i < x.size(); i++) {
      double c = cosine(x.get(i), y.get(i));
      if (!(c >= MIN_COSINE)) {
        return false;
      }
      sum += c;
    }
    return sum / x.size() >= MEAN_COSINE;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * (double) b[i];
      na += a[i] * (double) a[i];
      nb += b[i] * (double) b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** Each track's rows by excerpt start (tracks without vectors are absent). */
  private static Map<Integer, Map<Float, Integer>> rowsByStart(Snapshot s) {
    Map<Integer, Map<Float, Integer>> out = new HashMap<>();
    for (int r = 0; r < s.excerptTrack().length; r++) {
      out.computeIfAbsent(s.excerptTrack()[r], t -> new HashMap<>()).put(s.excerptStart()[r], r);
    }
    return out;
  }

  private static int find(int[] parent, int t) {
    while (parent[t] != t) {
      parent[t] = parent[parent[t]];
      t = parent[t];
    }
    return t;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  /** These groups as a note for the rows they were found on: "v1 FINGERPRINT 3,7;12,40,41". */
  public String toNote() {
    StringBuilder sb = new StringBuilder("v1 ").append(fingerprint).append(' ');
    for (int i = 0; i < groups.size(); i++) {
      sb.append(i == 0 ? "" : ";");
      long[] g = groups.get(i);
      for (int j = 0; j < g.length; j++) {
        sb.append(j == 0 ? "" : ",").append(g[j]);
      }
    }
    return sb.toString().strip();
  }

  /** The groups a note holds when they were found on exactly {@code snapshot}'s rows; else empty. */
  public static Optional<Recordings> fromNote(String note, Snapshot snapshot) {
    try {
      String[] f = note.strip().split(" ");
      if (f.length < 2 || !f[0].equals("v1") || Long.parseLong(f[1]) != snapshot.rowFingerprint()) {
        return Optional.empty();
      }
      List<long[]> groups = new ArrayList<>();
      if (f.length > 2) {
        for (String g : f[2].split(";")) {
          groups.add(Arrays.stream(g.split(",")).mapToLong(Long::parseLong).toArray());
        }
      }
      return Optional.of(new Recordings(Long.parseLong(f[1]), groups));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
