package org.rhythmsearch.eval;

import java.nio.file.*;
import java.util.*;
import org.rhythmsearch.features.*;
import org.rhythmsearch.search.TempoAlignment;

/** Throwaway: stretched-copy recall@5 and seed P@2 with tempo alignment done before a projection. */
public class AlignExp {
  static FeatureConfig C = FeatureConfigs.ONSET_BEAT_16;
  static List<String[]> rows(String f) throws Exception { List<String[]> o = new ArrayList<>(); for (String l : Files.readAllLines(Path.of(f))) if (!l.isBlank()) o.add(l.split("\t")); return o; }
  static float dot(float[] a, float[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return (float) s; }
  static Projection P; static double M; static org.rhythmsearch.search.Similarity SIM = new org.rhythmsearch.search.Similarity(C, org.rhythmsearch.index.Metric.COSINE, TempoAlignment.DEFAULT);
  // score of query excerpt (raw q, tempo qt) vs row (projected r, tempo rt)
  static Map<float[], Map<Integer, float[]>> memo = new IdentityHashMap<>();
  static float score(float[] q, double qt, float[] pr, double rt, boolean align) {
    float[] pq = proj(q, 0);
    float s = dot(pq, pr);
    if (!align || !(qt > 0) || !(rt > 0)) return s;
    int k = SIM.step(qt, rt);
    if (k == 0) return s;
    float[] a = proj(q, k);
    return (float) Math.max(s, dot(a, pr) - M);
  }
  static float[] proj(float[] q, int k) {
    return memo.computeIfAbsent(q, x -> new HashMap<>()).computeIfAbsent(k, kk -> {
      float[] v = kk == 0 ? q : PostProcessing.tempoScaled(C, q, 1 + kk * TempoAlignment.STEP);
      return P == null ? v : P.apply(v);
    });
  }
  public static void main(String[] a) throws Exception {
    GridCache songsCache = new GridCache(Path.of("data/lopo-wide/cache"), C);
    GridCache copyCache = new GridCache(Path.of("data/lopo-wide/copycache"), C);
    List<String[]> dev = rows("data/demo-corpus/dev-songs.tsv");
    List<String[]> wide = rows("data/demo-corpus/wide-songs.tsv");
    Set<String> devPk = new HashSet<>(); for (String[] r : dev) devPk.add(r[1]);
    // projection fitted on the dev songs only
    List<SeedEvaluation.Song> devSongs = new ArrayList<>();
    for (String[] r : dev) devSongs.add(songsCache.get(Path.of(r[0])));
    String mode = a[0];
    P = mode.equals("raw") ? null : ProjectionFit.fit(devSongs, 512, 0.03);
    double[] margins = Arrays.stream(a[1].split(",")).mapToDouble(Double::parseDouble).toArray();
    for (double m : margins) {
      M = m; memo.clear();
      boolean align = m >= 0;
      // stretched copies vs the 138 dev songs (track score: mean over query excerpts of the best row)
      List<float[][]> songRows = new ArrayList<>(); List<double[]> songT = new ArrayList<>();
      for (SeedEvaluation.Song s : devSongs) { List<float[]> v = new ArrayList<>(); List<Double> t = new ArrayList<>();
        for (int i = 0; i < s.vectors().size(); i++) if (s.vectors().get(i) != null) { v.add(P == null ? s.vectors().get(i) : P.apply(s.vectors().get(i))); t.add(s.tempi().get(i)); }
        songRows.add(v.toArray(new float[0][])); songT.add(t.stream().mapToDouble(Double::doubleValue).toArray()); }
      Map<String, Integer> idx = new HashMap<>(); for (int i = 0; i < dev.size(); i++) idx.put(dev.get(i)[0], i);
      StringBuilder sb = new StringBuilder();
      for (String f : new String[] {"0.85", "0.92", "0.96", "1.04", "1.08", "1.15"}) {
        int hit = 0, n = 0;
        for (String[] r : rows("data/dev-tempo-set/tempo-" + f + ".tsv")) {
          SeedEvaluation.Song c = copyCache.get(Path.of(r[0]).toAbsolutePath()); if (c == null) c = copyCache.get(Path.of("" + r[0]));
          if (c == null) continue;
          int want = idx.get(r[1]);
          double[] sc = new double[dev.size()]; int qn = 0;
          for (int e = 0; e < c.vectors().size(); e++) { float[] q = c.vectors().get(e); if (q == null) continue; qn++;
            for (int s = 0; s < dev.size(); s++) { float b = -9; for (int j = 0; j < songRows.get(s).length; j++) b = Math.max(b, score(q, c.tempi().get(e), songRows.get(s)[j], songT.get(s)[j], align)); sc[s] += b; } }
          if (qn == 0) continue;
          n++; int better = 0; for (int s = 0; s < dev.size(); s++) if (sc[s] > sc[want]) better++;
          if (better < 5) hit++;
        }
        sb.append(String.format(" %.3f", hit / (double) n));
      }
      // seed P@2 on the 8 packages outside dev, database = all wide songs
      List<SeedEvaluation.Song> all = new ArrayList<>(); List<String> pk = new ArrayList<>();
      for (String[] r : wide) { SeedEvaluation.Song s = songsCache.get(Path.of(r[0])); if (s != null) { all.add(s); pk.add(r[1]); } }
      List<float[]> db = new ArrayList<>(); List<Double> dbt = new ArrayList<>(); List<Integer> dbs = new ArrayList<>(); List<Integer> qs = new ArrayList<>();
      for (int s = 0; s < all.size(); s++) { var v = all.get(s).vectors(); if (v.size() < 3 || v.get(0) == null || v.get(1) == null || v.get(2) == null) continue; qs.add(s);
        for (int i = 1; i <= 2; i++) { db.add(P == null ? v.get(i) : P.apply(v.get(i))); dbt.add(all.get(s).tempi().get(i)); dbs.add(s); } }
      Map<String, double[]> per = new TreeMap<>();
      for (int s : qs) { if (devPk.contains(pk.get(s))) continue; float[] q = all.get(s).vectors().get(0); double qt = all.get(s).tempi().get(0);
        Integer[] ord = new Integer[db.size()]; float[] sc = new float[db.size()]; for (int j = 0; j < db.size(); j++) { ord[j] = j; sc[j] = score(q, qt, db.get(j), dbt.get(j), align); }
        Arrays.sort(ord, (x, y) -> Float.compare(sc[y], sc[x]));
        int c = (dbs.get(ord[0]) == s ? 1 : 0) + (dbs.get(ord[1]) == s ? 1 : 0);
        double[] acc = per.computeIfAbsent(pk.get(s), x -> new double[2]); acc[0] += c; acc[1] += 2; }
      double mean = per.values().stream().mapToDouble(x -> x[0] / x[1]).average().orElse(0);
      double min = per.values().stream().mapToDouble(x -> x[0] / x[1]).min().orElse(0);
      System.out.printf("%s margin %5.2f: stretched recall@5%s | P@2 on the 8 unseen packages mean %.3f min %.3f%n", mode, m, sb, mean, min);
    }
  }
}
