package org.rhythmsearch.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.eval.SeedEvaluation;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.TempoAlignment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch eval [PATH...] [--files-from LIST]}. */
@Command(name = "eval")
final class EvalCommand extends Cmd {

  @CommandLine.Mixin Options.Collection collection;

  @Option(names = "--by-package", description = "Also report each package's figures and their mean over packages.")
  boolean byPackage;

  @CommandLine.Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @CommandLine.Mixin Options.Feature featureOption;

  @Option(names = {"-k", "--k"}, paramLabel = "K", defaultValue = "2", description = "Targets per song: P@k (default: ${DEFAULT-VALUE}, as in the seed study); -k as in query.")
  int k;

  @CommandLine.Mixin Options.Metrics metric;

  @Option(names = "--trials", paramLabel = "N", defaultValue = "10",
      description = "LSH and IVF trials, each with other hyperplanes / k-means seeds (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--target-recall", paramLabel = "R", defaultValue = "0",
      description = "Tune LSH (bits, tables, probes) and IVF (lists probed, re-rank) on the data for this recall@k against "
          + "exact search, per trial; 0 uses the size-based defaults (default: ${DEFAULT-VALUE}).")
  double targetRecall;

  @Option(names = "--hub-k", paramLabel = "K", defaultValue = "0",
      description = "Hub reduction, for evaluation (query, serve and Spark do not apply it yet): each database excerpt's "
          + "scores are lowered by half the mean of its K best scores against other songs (local scaling, CSLS), so "
          + "excerpts near everything stop crowding the answers; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int hubK;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "Keep every file's grid excerpts in DIR and reuse them while the file, the feature and the grid are "
          + "unchanged: runs that only change --tempo-align, --tempo-margin, --hub-k, --k or --trials skip decoding.")
  Path cacheDir;

  @Option(names = "--refit-projection",
      description = "With --by-package and a projected feature (" + "onset-beat-16w" + "): judge each package with a "
          + "projection fitted on the other packages only, not the feature's shipped one (which may have been fitted "
          + "on it); one fit per package.")
  boolean refitProjection;

  @CommandLine.Mixin Options.HeldVectors held;

  @CommandLine.Mixin Options.JsonOutput json;

  /** The {@code --json} document (keys of the command-line contract; {@code lsh}, {@code ivf} and {@code byPackage} only when run). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(int songs, int queries, int k, String feature, int dimension, String vectors, String metric,
      TempoAlignment tempoAlignment, int hubK, Exact exact, Lsh lsh, Ivf ivf, LeaveOneOut leaveOneOut, ByPackage byPackage, int skippedSongs, int failedFiles,
      double audioSeconds, double extractSeconds) {

    record Exact(double precisionAtK, double meanQueryMicros) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Spread(double mean, Double min, Double max) {}

    record Params(int bits, int tables, int probes) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Lsh(Spread precisionAtK, Spread recallVsExact, Spread seedBucketRecall, double meanQueryMicros,
        double candidatesPerQuery, int emptyResults, int trials, Params params) {}

    record IvfParams(int lists, int probes, int rerank) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ivf(Spread precisionAtK, Spread recallVsExact, double meanQueryMicros, double scannedPerQuery, int emptyResults,
        int trials, IvfParams params) {}

    record LeaveOneOut(int excerpts, double precisionAt1) {}

    record Package(@JsonProperty("package") String packageName, int songs, int queries, double precisionAtK,
        int looExcerpts, double looPrecisionAt1) {}

    record ByPackage(double meanPrecisionAtK, double meanLeaveOneOutPrecisionAt1, List<Package> packages) {}

    static Report of(SeedEvaluation.Result r, FeatureConfig feature, String vectors, TempoAlignment alignment, int hubK,
        boolean byPackage) {
      SeedEvaluation.LshResult l = r.lsh();
      Lsh lsh = l == null ? null : new Lsh(new Spread(l.precisionMean(), l.precisionMin(), l.precisionMax()),
          new Spread(l.recallMean(), l.recallMin(), null), new Spread(l.seedBucketRecall(), null, null),
          l.meanQueryMicros(), l.candidatesPerQuery(), l.emptyResults(), l.trials(),
          new Params(l.firstParams().bits(), l.firstParams().tables(), l.firstParams().probes()));
      SeedEvaluation.IvfResult v = r.ivf();
      Ivf ivf = v == null ? null : new Ivf(new Spread(v.precisionMean(), v.precisionMin(), v.precisionMax()),
          new Spread(v.recallMean(), v.recallMin(), null), v.meanQueryMicros(), v.scannedPerQuery(), v.emptyResults(),
          v.trials(), new IvfParams(v.firstParams().lists(), v.firstParams().probes(), v.firstParams().rerank()));
      ByPackage packages = null;
      if (byPackage) {
        List<Package> rows = new ArrayList<>();
        for (SeedEvaluation.GroupResult g : r.byGroup().groups()) {
          rows.add(new Package(g.group(), g.songs(), g.queries(), g.precisionAtK(), g.looExcerpts(), g.looPrecisionAt1()));
        }
        packages = new ByPackage(r.byGroup().meanPrecisionAtK(), r.byGroup().meanLooPrecisionAt1(), rows);
      }
      return new Report(r.songs(), r.queries(), r.k(), r.feature(), feature.dimension(), vectors, r.metric().id(), alignment,
          hubK,
          new Exact(r.precisionAtK(), r.meanQueryMicros()), lsh, ivf, new LeaveOneOut(r.looExcerpts(), r.looPrecisionAt1()),
          packages, r.skippedSongs().size(), r.failedFiles().size(), r.audioSeconds(), r.extractSeconds());
    }
  }

  @Override
  public Integer call() throws IOException {
    if (k < 1 || trials < 0 || hubK < 0) {
      throw usage("--k must be >= 1, --trials >= 0, --hub-k >= 0");
    }
    FeatureConfig feature = featureOption.orDefault();
    if (refitProjection && (!byPackage || feature.projection() == null || trials > 0)) {
      throw usage("--refit-projection needs --by-package, a projected feature (e.g. --feature onset-beat-16w) and "
          + "--trials 0");
    }
    Metric m = metric.metric;
    List<Path> all;
    try {
      all = Inputs.collect(collection.paths, collection.filesFrom, this::inputProblem);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (all.isEmpty()) {
      throw usage("no audio files given (PATH... or --files-from)");
    }
    PrintWriter out = out();
    PrintWriter err = err();
    SeedEvaluation.Result r;
    try (Progress progress = new Progress("eval " + feature.name(), all.size(), quiet)) {
      if (!(targetRecall >= 0 && targetRecall <= 1)) {
        throw usage("--target-recall must be in [0, 1]; --target-recall=" + targetRecall);
      }
      r = new SeedEvaluation(feature, k, m, collection.threads).withLshTrials(trials).withTargetRecall(targetRecall)
          .withTempoAlignment(align.alignment(spec.commandLine())).withHubReduction(hubK).withVectors(held.vectors)
          .withCache(cacheDir).withProjectionRefit(refitProjection, g -> progress.note("fold without " + g))
          .run(all, byPackage ? Inputs.groups(all, collection.filesFrom) : null, f -> progress.step(f.getFileName().toString()));
    }
    for (String f : r.failedFiles()) {
      err.println("rhythmsearch: " + f);
    }
    if (json.json) {
      Json.write(out, Report.of(r, feature, held.vectors.id(), align.alignment(spec.commandLine()), hubK, byPackage));
    } else {
      out.printf("feature %-24s songs %3d  P@%d %.3f  (%d/%d)  leave-one-out P@1 %.3f (%d excerpts)  query %.1f us%n",
          r.feature(), r.songs(), r.k(), r.precisionAtK(), r.correct(), r.queries() * r.k(), r.looPrecisionAt1(),
          r.looExcerpts(), r.meanQueryMicros());
      if (byPackage) {
        for (SeedEvaluation.GroupResult g : r.byGroup().groups()) {
          out.printf("  package %-28s songs %3d  P@%d %.3f  leave-one-out P@1 %.3f (%d excerpts)%n", g.group(), g.songs(),
              r.k(), g.precisionAtK(), g.looPrecisionAt1(), g.looExcerpts());
        }
        out.printf("  mean over %d packages: P@%d %.3f  leave-one-out P@1 %.3f%n", r.byGroup().groups().size(), r.k(),
            r.byGroup().meanPrecisionAtK(), r.byGroup().meanLooPrecisionAt1());
      }
      if (r.lsh() != null) {
        SeedEvaluation.LshResult l = r.lsh();
        out.printf("  LSH (%d trials, K=%d L=%d probes=%d): P@%d mean %.3f min %.3f max %.3f, recall vs exact %.3f (min %.3f), "
            + "seed bucket recall %.3f, %.1f candidates, query %.1f us, %d short answers%n", l.trials(), l.firstParams().bits(),
            l.firstParams().tables(), l.firstParams().probes(), r.k(), l.precisionMean(), l.precisionMin(), l.precisionMax(),
            l.recallMean(), l.recallMin(), l.seedBucketRecall(), l.candidatesPerQuery(), l.meanQueryMicros(), l.emptyResults());
      }
      if (r.ivf() != null) {
        SeedEvaluation.IvfResult v = r.ivf();
        out.printf("  IVF (%d trials, %d lists, %d probed, re-rank %d): P@%d mean %.3f min %.3f max %.3f, recall vs exact %.3f "
            + "(min %.3f), %.1f codes scanned, query %.1f us, %d short answers%n", v.trials(), v.firstParams().lists(),
            v.firstParams().probes(), v.firstParams().rerank(), r.k(), v.precisionMean(), v.precisionMin(), v.precisionMax(),
            v.recallMean(), v.recallMin(), v.scannedPerQuery(), v.meanQueryMicros(), v.emptyResults());
      }
      out.flush();
    }
    if (!r.skippedSongs().isEmpty()) {
      err.printf("%d song(s) skipped (shorter than %.0f s or silent at the protocol's excerpts)%n", r.skippedSongs().size(),
          SeedEvaluation.FIRST_OFFSET + SeedEvaluation.GRID * (k + 1));
    }
    err.flush();
    return r.failedFiles().isEmpty() && inputProblems == 0 ? 0 : 1;
  }
}
