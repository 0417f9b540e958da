package org.rhythmsearch.cli;

import java.io.PrintWriter;
import org.rhythmsearch.bench.AlignedBench;
import org.rhythmsearch.index.ApproximateIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rhythmsearch bench aligned}: tempo-robust approximate search against exact aligned search, by
 * track, on synthetic tracks with tempi ({@link AlignedBench}).
 */
@Command(name = "aligned")
final class BenchAlignedCommand extends Cmd {

  @Mixin Options.Workload workload = new Options.Workload(1_000_000, 20);

  @Mixin Options.SyntheticModel model;

  @Option(names = "--query-excerpts", paramLabel = "E", defaultValue = "6",
      description = "Excerpts per query track (default: ${DEFAULT-VALUE}).")
  int queryExcerpts;

  @Option(names = "--ann", paramLabel = "ivf|lsh", defaultValue = "ivf",
      description = "The approximate index, at its size-based defaults (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--band-probing", paramLabel = "N[,N]", split = ",",
      description = "Also measure approximate aligned search with at most N of the probing excerpts probing the "
          + "tempo bands (the others probe plainly), once per N.")
  java.util.List<Integer> bandProbing = new java.util.ArrayList<>();

  @Mixin Options.JsonOutput json;

  @Override
  public Integer call() throws Exception {
    ApproximateIndex.Kind ann = switch (kind) {
      case "ivf" -> ApproximateIndex.Kind.IVF;
      case "lsh" -> ApproximateIndex.Kind.LSH;
      default -> throw usage("--ann " + kind + ": use ivf or lsh");
    };
    AlignedBench.Report r;
    try {
      r = AlignedBench.run(new AlignedBench.Config(model.db.toString(), workload.vectors, model.excerpts,
          workload.queries, queryExcerpts, ann, model.seed, bandProbing), err());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    } catch (OutOfMemoryError e) {
      throw usage("out of memory for " + workload.vectors + " vectors: give the JVM more heap, e.g. "
          + "RHYTHMSEARCH_JAVA_OPTS=-Xmx16g (about 6 GB per million vectors of dimension 1080)");
    }
    AlignedBench.Report report = r;
    return report(json.json, report, out -> print(out, report));
  }

  private static void print(PrintWriter out, AlignedBench.Report r) {
    out.printf("%d vectors (%d tracks) x %d dims, %d query tracks of %d excerpts, one thread; data: %s%n", r.n(),
        r.tracks(), r.dim(), r.queries(), r.queryExcerpts(), r.data());
    out.printf("  index: %s, built in %.1f s%n", r.index(), r.buildSeconds());
    out.printf("  exact, tempo-aligned      : %9.1f ms per query track (the reference)%n", r.exactAligned().msPerQuery());
    out.printf("  exact, plain cosine       : %9.1f ms per query track (%.2fx exact aligned)%n",
        r.exactPlain().msPerQuery(), r.exactPlain().xExactAligned());
    out.printf("  approximate, tempo-aligned: %9.1f ms per query track (%.1fx exact aligned), track recall@10 %.3f "
        + "against exact aligned, top-1 equal for %.0f %%%n", r.approximateAligned().msPerQuery(),
        r.approximateAligned().xExactAligned(), r.approximateAligned().recallAt10(), 100 * r.topOneAgreement());
    out.printf("  approximate, plain cosine : %9.1f ms per query track (%.1fx exact aligned), track recall@10 %.3f "
        + "against exact plain, %.3f against exact aligned%n", r.approximatePlain().msPerQuery(),
        r.approximatePlain().xExactAligned(), r.approximatePlain().recallAt10(), r.approximatePlainRecallVsAligned());
    for (AlignedBench.BandProbing b : r.bandProbing()) {
      out.printf("  approximate, tempo-aligned, bands from at most %d excerpts: %9.1f ms per query track (%.1fx exact "
          + "aligned), track recall@10 %.3f against exact aligned%n", b.excerpts(), b.search().msPerQuery(),
          b.search().xExactAligned(), b.search().recallAt10());
    }
  }
}
