package org.rhythmsearch.cli;

import java.nio.file.Path;
import java.util.List;
import org.rhythmsearch.bench.HnswBaseline;
import org.rhythmsearch.bench.IndexBench;
import org.rhythmsearch.index.VectorEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rhythmsearch bench index}: brute force, LSH, IVF and Lucene HNSW on the same vectors and queries
 * ({@link IndexBench}), by plain cosine and, with {@code --aligned}, by the tempo-aligned score.
 */
@Command(name = "index")
final class BenchIndexCommand extends Cmd {

  @Mixin Options.Workload workload = new Options.Workload(1_000_000, 1000);

  @Option(names = "--exact-queries", paramLabel = "Q", defaultValue = "200", description = "Queries timed for the "
      + "exact baseline, before and after the curves, the better pass counting (default: ${DEFAULT-VALUE}).")
  int exactQueries;

  @Option(names = "--source", defaultValue = "synthetic", paramLabel = "synthetic|real", description = "synthetic "
      + "(default): --vectors from --model around the real vectors; real: the real vectors, --queries held out.")
  IndexBench.Source source;

  @Option(names = "--model", defaultValue = "within-song", paramLabel = "within-song|iid",
      description = "Synthetic model: within-song (default: a real vector + Gaussian noise shaped like the variation "
          + "between excerpts of one real song, x --spread) or iid (a real vector + per-dimension noise of --spread x "
          + "that dimension's std).")
  IndexBench.Model model;

  @Option(names = "--index", paramLabel = "DB", required = true,
      description = "Index whose real vectors are the data or seed the synthetic model (e.g. data/demo.db).")
  Path db;

  @Option(names = "--hop", paramLabel = "SECONDS",
      description = "Re-extract the index's tracks with excerpts every SECONDS (a dense real set) instead of using the "
          + "stored vectors.")
  Double hop;

  @Option(names = "--dim", paramLabel = "D", description = "Expected dimension (must match the index's feature).")
  Integer dim;

  @Option(names = "--spread", paramLabel = "S", description = "Noise scale of the model (default: 1 for within-song, 0.5 for iid).")
  Double spread;

  @Option(names = "--target-recall", paramLabel = "R", defaultValue = "0",
      description = "Tune LSH on a 50 000-vector sample for this recall@10 (0: size-based defaults).")
  double targetRecall;

  @Option(names = "--bits", paramLabel = "K", description = "LSH bits per table K (default: from the size, or tuned).")
  Integer bits;

  @Option(names = "--tables", paramLabel = "L", description = "LSH tables L (default: from the size, or tuned).")
  Integer tables;

  @Option(names = "--probes", paramLabel = "P", description = "LSH probe budget of the reported point (default: from the size, or tuned).")
  Integer probes;

  @Option(names = "--rerank", paramLabel = "R", description = "LSH re-rank budget of the reported point (0: every candidate; default: "
      + "from the size, or tuned).")
  Integer rerank;

  @Option(names = "--planes", defaultValue = "mean", paramLabel = "mean|origin",
      description = "LSH hyperplanes through the data's mean direction (default) or through the origin "
          + "(Charikar's scheme as such, for comparison).")
  String planes;

  @Option(names = "--held", paramLabel = "float32|int8",
      description = "How base and queries are held: float32 (default here, as computed, so that earlier figures "
          + "reproduce) or int8 (as a new index holds them; every method then searches the same values).")
  VectorEncoding held;

  @Option(names = "--export", paramLabel = "DIR",
      description = "Also write the base and query vectors to DIR (base.f32, queries.f32: little-endian float32 "
          + "rows; meta.json) for another program's baseline, e.g. scripts/faiss-hnsw.py.")
  Path export;

  @Option(names = "--aligned", description = "Also search by the default tempo-aligned score (--source real only): "
      + "exact aligned search as the truth, IVF through the product's tempo-band probes; with --export, also what "
      + "scripts/faiss-hnsw.py needs to search FAISS by the same score.")
  boolean aligned;

  @Option(names = "--hnsw-dir", paramLabel = "DIR",
      description = "Keep the Lucene HNSW index in DIR and reuse it when a later run has the same data (default: in "
          + "memory, rebuilt every run).")
  Path hnswDir;

  @Option(names = "--no-hnsw", description = "Skip the Lucene HNSW baseline.")
  boolean noHnsw;

  @Option(names = "--hnsw-formats", paramLabel = "FORMAT[,FORMAT]", split = ",", defaultValue = "float32,int8",
      description = "The Lucene HNSW vector formats to measure: float32, int8 (default: ${DEFAULT-VALUE}); the int8 "
          + "graph is kept beside --hnsw-dir, in DIR-int8.")
  List<String> hnswFormats;

  @Mixin Options.JsonOutput json;

  private java.util.Set<HnswBaseline.Format> hnswFormats() {
    java.util.Set<HnswBaseline.Format> out = java.util.EnumSet.noneOf(HnswBaseline.Format.class);
    if (noHnsw) {
      return out;
    }
    for (String f : hnswFormats) {
      try {
        out.add(HnswBaseline.Format.valueOf(f.trim().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw usage("--hnsw-formats: unknown format '" + f + "'; known: float32, int8");
      }
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    if (!hnswFormats().isEmpty() && !onClasspath("org.apache.lucene.index.IndexWriter")) {
      throw usage("the Lucene HNSW baseline is not in this installation (the release archive leaves Lucene and "
          + "JMH out): give --no-hnsw, or run from a source tree built with mvn -B package");
    }
    if (!List.of("mean", "origin").contains(planes)) {
      throw usage("--planes " + planes + ": use mean or origin");
    }
    IndexBench.Report r;
    try {
      r = IndexBench.run(new IndexBench.Config(db.toString(), workload.vectors, workload.queries, exactQueries, source, model, hop, dim,
          spread, targetRecall, bits, tables, probes, rerank, "origin".equals(planes), hnswDir, hnswFormats(), export,
          held, aligned),
          err());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    IndexBench.Report report = r;
    return report(json.json, report, out -> BenchIndexText.print(out, report));
  }
}
