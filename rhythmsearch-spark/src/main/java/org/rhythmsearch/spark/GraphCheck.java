package org.rhythmsearch.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.spark.SimilarJob.Neighbour;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * Checking a similarity graph ({@link SimilarJob}): reading it back, the exact graph the core library
 * gives (every track queried as {@code query --track} ranks), and the recall and top-1 agreement of one
 * graph against another.
 *
 * <p>Stateless; thread-safe.
 */
public final class GraphCheck {

  private GraphCheck() {}

  /** The graph as read back from {@code out}/similar: track -> its neighbours, best first. */
  public static Map<String, List<Neighbour>> read(SparkSession spark, String out) {
    Map<String, List<Neighbour>> graph = new LinkedHashMap<>();
    for (Row r : spark.read().parquet(out + "/similar").collectAsList()) {
      List<Neighbour> list = new ArrayList<>();
      for (Row x : r.<Row>getList(1)) {
        list.add(new Neighbour(x.getString(0), x.getDouble(1)));
      }
      graph.put(r.getString(0), list);
    }
    return graph;
  }

  /**
   * The exact graph, for checking: every excerpt loaded on the driver and every track queried against
   * all others by the core library as {@code query} does ({@code mean} aggregation, the default tempo
   * alignment), on every core of the driver. Quadratic: for a sample or a small catalogue.
   */
  public static Map<String, List<Neighbour>> exactGraph(SparkSession spark, String in, int k) {
    return exactGraph(spark, in, k, TempoAlignment.DEFAULT);
  }

  /** {@link #exactGraph(SparkSession, String, int)} scored with {@code alignment}. */
  public static Map<String, List<Neighbour>> exactGraph(SparkSession spark, String in, int k, TempoAlignment alignment) {
    var excerpts = spark.read().parquet(in + "/excerpts");
    List<Row> rows = excerpts.select("path", "start", ParquetVectors.column(excerpts), "tempo", "hash",
        "durationSeconds").orderBy("path", "start").collectAsList();
    List<TrackRecord> tracks = new ArrayList<>();
    int dim = rows.isEmpty() ? 1 : ParquetVectors.of(rows.get(0), 2).length;
    float[] data = new float[rows.size() * dim];
    int[] rowTrack = new int[rows.size()];
    float[] start = new float[rows.size()];
    float[] tempo = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (tracks.isEmpty() || !tracks.get(tracks.size() - 1).path().equals(r.getString(0))) {
        tracks.add(new TrackRecord(tracks.size() + 1, r.getString(0), 0, 0, r.getString(4),
            r.getDouble(5), 0, null));
      }
      System.arraycopy(ParquetVectors.of(r, 2), 0, data, i * dim, dim);
      rowTrack[i] = tracks.size() - 1;
      start[i] = (float) r.getDouble(1);
      tempo[i] = r.isNullAt(3) ? Float.NaN : (float) r.getDouble(3);
    }
    String feature = spark.read().parquet(in + "/excerpts").select("feature").first().getString(0);
    var config = FeatureConfigs.byName(feature.substring(0, feature.indexOf('@')));
    var service = new QueryService(new Snapshot(config, tracks,
        new VectorMatrix(data, dim), rowTrack, start, tempo), null);
    var options = new QueryOptions(k, Aggregation.MEAN,
        Metric.COSINE, false, 0, alignment);
    List<List<Neighbour>> lists = tracks.parallelStream().map(t -> {
      List<Neighbour> list = new ArrayList<>();
      try {
        for (var m : service.queryTrack(Long.toString(t.id()), options).matches()) {
          list.add(new Neighbour(m.track().path(), m.score()));
        }
      } catch (QueryException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return list;
    }).toList();
    Map<String, List<Neighbour>> graph = new LinkedHashMap<>();
    for (int i = 0; i < tracks.size(); i++) {
      graph.put(tracks.get(i).path(), lists.get(i));
    }
    return graph;
  }

  /**
   * The recall of {@code exact}'s top {@code k} in {@code approx}: the fraction of each track's true
   * {@code k} nearest that the approximate graph lists, averaged over the tracks.
   */
  public static double recall(Map<String, List<Neighbour>> approx, Map<String, List<Neighbour>> exact, int k) {
    double sum = 0;
    int n = 0;
    for (Map.Entry<String, List<Neighbour>> e : exact.entrySet()) {
      List<Neighbour> truth = e.getValue().subList(0, Math.min(k, e.getValue().size()));
      if (truth.isEmpty()) {
        continue;
      }
      java.util.Set<String> got = new java.util.HashSet<>();
      approx.getOrDefault(e.getKey(), List.of()).stream().limit(k).forEach(x -> got.add(x.track()));
      sum += truth.stream().filter(x -> got.contains(x.track())).count() / (double) truth.size();
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * The share of {@code exact}'s tracks whose first neighbour is {@code approx}'s first neighbour too
   * (tracks with no neighbour in {@code exact} are not counted).
   */
  public static double topOneAgreement(Map<String, List<Neighbour>> approx, Map<String, List<Neighbour>> exact) {
    int n = 0;
    int same = 0;
    for (Map.Entry<String, List<Neighbour>> e : exact.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      n++;
      List<Neighbour> got = approx.getOrDefault(e.getKey(), List.of());
      same += !got.isEmpty() && got.get(0).track().equals(e.getValue().get(0).track()) ? 1 : 0;
    }
    return n == 0 ? Double.NaN : same / (double) n;
  }

}
