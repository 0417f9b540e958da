package org.rhythmsearch.eval;

import java.nio.file.*;
import java.util.*;
import org.rhythmsearch.features.*;
import org.rhythmsearch.index.*;
import org.rhythmsearch.search.*;

/** Throwaway: track score = mean of the m best per-query-excerpt bests (m = 1: max, m = all: mean). */
public class TopM {
  static boolean FRAC = true;
  static FeatureConfig C = FeatureConfigs.ONSET_BEAT_16;
  static Similarity SIM = new Similarity(C, Metric.COSINE, TempoAlignment.DEFAULT);
  static List<String[]> rows(String f) throws Exception { List<String[]> o = new ArrayList<>(); for (String l : Files.readAllLines(Path.of(f))) if (!l.isBlank()) o.add(l.split("\t")); return o; }
  // per track, per query excerpt: best score; returns rank (0-based) of want under each m
  static int[] ranks(List<float[]> q, List<Double> qt, ExactIndex idx, float[] rt, int[] rowTrack, int tracks, int want, int[] ms) {
    int n = q.size(); float[][] best = new float[tracks][n];
    for (float[] b : best) Arrays.fill(b, -9);
    for (int e = 0; e < n; e++) { float[] s = SIM.all(idx, q.get(e), qt.get(e), rt); for (int r = 0; r < s.length; r++) { int t = rowTrack[r]; if (t >= 0 && s[r] > best[t][e]) best[t][e] = s[r]; } }
    int[] out = new int[ms.length];
    for (int mi = 0; mi < ms.length; mi++) { int m = FRAC ? Math.max(1, (int) Math.round(n * ms[mi] / 100.0)) : Math.min(ms[mi], n); double[] key = new double[tracks];
      for (int t = 0; t < tracks; t++) { float[] b = best[t].clone(); Arrays.sort(b); double s = 0; for (int i = 0; i < m; i++) s += b[n - 1 - i]; key[t] = s / m; }
      int better = 0; for (int t = 0; t < tracks; t++) if (t != want && key[t] > key[want]) better++; out[mi] = better; }
    return out;
  }
  public static void main(String[] a) throws Exception {
    GridCache sc = new GridCache(Path.of("data/lopo-wide/cache"), C);
    GridCache cc = new GridCache(Path.of("data/lopo-wide/copycache"), C);
    int[] ms = {1, 25, 50, 75, 100};
    // held-out part on the wide corpus: excerpts at 5-25 s query; the song's later excerpts and all other songs' excerpts are the database
    List<String[]> wide = rows("data/demo-corpus/wide-songs.tsv");
    List<SeedEvaluation.Song> songs = new ArrayList<>(); for (String[] r : wide) songs.add(sc.get(Path.of(r[0])));
    List<float[]> db = new ArrayList<>(); List<Float> dbt = new ArrayList<>(); List<Integer> rt = new ArrayList<>();
    for (int s = 0; s < songs.size(); s++) { var g = songs.get(s); for (int i = g.vectors().size() / 2; i < g.vectors().size(); i++) if (g.vectors().get(i) != null) { db.add(g.vectors().get(i)); dbt.add(g.tempi().get(i).floatValue()); rt.add(s); } }
    // other songs' first excerpts too
    for (int s = 0; s < songs.size(); s++) { var g = songs.get(s); for (int i = 0; i < g.vectors().size() / 2; i++) if (g.vectors().get(i) != null) { db.add(g.vectors().get(i)); dbt.add(g.tempi().get(i).floatValue()); rt.add(-1 - s); } }
    float[] data = new float[db.size() * C.dimension()]; for (int i = 0; i < db.size(); i++) System.arraycopy(db.get(i), 0, data, i * C.dimension(), C.dimension());
    ExactIndex idx = new ExactIndex(new VectorMatrix(data, C.dimension())); float[] rtt = new float[dbt.size()]; for (int i = 0; i < rtt.length; i++) rtt[i] = dbt.get(i);
    Map<String, double[]> per = new TreeMap<>();
    for (int s = 0; s < songs.size(); s++) { var g = songs.get(s); if (g.vectors().size() < 6) continue;
      List<float[]> q = new ArrayList<>(); List<Double> qt = new ArrayList<>(); for (int i = 0; i < g.vectors().size() / 2; i++) if (g.vectors().get(i) != null) { q.add(g.vectors().get(i)); qt.add(g.tempi().get(i)); }
      if (q.isEmpty() || !rt.contains(s)) continue;
      int[] rowTrack = new int[rt.size()]; for (int i = 0; i < rowTrack.length; i++) { int t = rt.get(i); rowTrack[i] = t >= 0 ? t : (-1 - t == s ? -1 : -1 - t); }
      int[] r = ranks(q, qt, idx, rtt, rowTrack, songs.size(), s, ms);
      double[] acc = per.computeIfAbsent(wide.get(s)[1], x -> new double[11]); acc[10]++; for (int i = 0; i < 5; i++) { acc[i] += r[i] == 0 ? 1 : 0; acc[5 + i] += r[i] < 5 ? 1 : 0; } }
    for (int i = 0; i < 5; i++) { final int k = i; System.out.printf("first half queries second, top-%d%%: recall@1 mean over packages %.3f (min %.3f), recall@5 %.3f (min %.3f)%n", ms[i],
        per.values().stream().mapToDouble(x -> x[k] / x[10]).average().orElse(0), per.values().stream().mapToDouble(x -> x[k] / x[10]).min().orElse(0), per.values().stream().mapToDouble(x -> x[5 + k] / x[10]).average().orElse(0), per.values().stream().mapToDouble(x -> x[5 + k] / x[10]).min().orElse(0)); }

    // stretched copies vs the 138 dev songs (all their grid excerpts)
    List<String[]> dev = rows("data/demo-corpus/dev-songs.tsv");
    List<float[]> d2 = new ArrayList<>(); List<Float> t2 = new ArrayList<>(); List<Integer> r2 = new ArrayList<>(); Map<String, Integer> id = new HashMap<>();
    for (int s = 0; s < dev.size(); s++) { id.put(dev.get(s)[0], s); var g = sc.get(Path.of(dev.get(s)[0])); for (int i = 0; i < g.vectors().size(); i++) if (g.vectors().get(i) != null) { d2.add(g.vectors().get(i)); t2.add(g.tempi().get(i).floatValue()); r2.add(s); } }
    float[] data2 = new float[d2.size() * C.dimension()]; for (int i = 0; i < d2.size(); i++) System.arraycopy(d2.get(i), 0, data2, i * C.dimension(), C.dimension());
    ExactIndex idx2 = new ExactIndex(new VectorMatrix(data2, C.dimension())); float[] rt2 = new float[t2.size()]; for (int i = 0; i < rt2.length; i++) rt2[i] = t2.get(i);
    int[] rowTrack2 = r2.stream().mapToInt(Integer::intValue).toArray();
    StringBuilder[] sb = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
    for (String f : new String[] {"0.85", "0.92", "0.96", "1.04", "1.08", "1.15"}) { int[] hit = new int[3]; int n = 0;
      for (String[] r : rows("data/dev-tempo-set/tempo-" + f + ".tsv")) { var c = cc.get(Path.of("" + r[0])); if (c == null) continue;
        List<float[]> q = new ArrayList<>(); List<Double> qt = new ArrayList<>(); for (int i = 0; i < c.vectors().size(); i++) if (c.vectors().get(i) != null) { q.add(c.vectors().get(i)); qt.add(c.tempi().get(i)); }
        if (q.isEmpty()) continue; n++; int[] rk = ranks(q, qt, idx2, rt2, rowTrack2, dev.size(), id.get(r[1]), ms); for (int i = 0; i < 3; i++) hit[i] += rk[i] < 5 ? 1 : 0; }
      for (int i = 0; i < 3; i++) sb[i].append(String.format(" %.3f", hit[i] / (double) n)); }
    for (int i = 0; i < 3; i++) System.out.printf("stretched copies, top-%d: recall@5%s%n", ms[i], sb[i]);
  }
}
