package org.rhythmsearch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rhythmsearch.eval.SeedEvaluation;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch eval [PATH...] [--files-from LIST]}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {
      "Evaluate retrieval on a collection where each audio file is one song.",
      "Seed protocol: the excerpt at 5 s queries a database of every song's next k excerpts (15 s, 25 s, ...);",
      "P@k = correct / (queries * k). Leave-one-out: every excerpt on the 5, 15, 25 ... s grid queries all others; P@1.",
      "Songs too short for the protocol (5 + 10*(k+1) s) are skipped and counted.",
      "With --by-package, the figures are also reported per package (the list file's second, TAB-separated",
      "column, else each file's folder): each package's queries against the whole collection, and the mean over",
      "packages, each counting once. That is the leave-one-package-out report: a choice made on the other",
      "packages is judged on each one (docs/EVALUATION.md)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:evaluated", "1:some files could not be decoded (the rest were evaluated)", "2:usage error"})
final class EvalCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Audio files or folders (one song per file).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--files-from", paramLabel = "LIST",
      description = "A text file with one audio path per line (optionally a TAB and the file's package).")
  Path filesFrom;

  @Option(names = "--by-package", description = "Also report each package's figures and their mean over packages.")
  boolean byPackage;

  @CommandLine.Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @Option(names = "--feature", paramLabel = "NAME", converter = FeatureOption.class,
      completionCandidates = FeatureOption.Names.class, defaultValue = FeatureConfigs.DEFAULT_NAME,
      description = "Feature configuration: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  FeatureConfig feature = FeatureConfigs.DEFAULT;

  @Option(names = "--k", paramLabel = "K", defaultValue = "2", description = "Targets per song (default: ${DEFAULT-VALUE}, as in the seed study).")
  int k;

  @Option(names = "--metric", paramLabel = "NAME", defaultValue = "cosine", description = "cosine, euclidean or l1 (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--trials", paramLabel = "N", defaultValue = "10",
      description = "LSH trials, each with other hyperplanes (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--target-recall", paramLabel = "R", defaultValue = "0",
      description = "Tune LSH (bits, tables, probes) on the data for this recall@k against exact search, per trial; "
          + "0 uses the size-based defaults (default: ${DEFAULT-VALUE}).")
  double targetRecall;

  @Option(names = "--threads", paramLabel = "N", description = "Extraction threads (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--json", description = "Write one JSON document to stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (k < 1 || threads < 1 || trials < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--k and --threads must be >= 1, --trials >= 0");
    }
    Metric m;
    List<Path> all;
    try {
      m = Metric.byId(metric);
      all = Inputs.collect(paths, filesFrom);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (all.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no audio files given (PATH... or --files-from)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SeedEvaluation.Result r;
    try (Progress progress = new Progress("eval " + feature.name(), all.size())) {
      if (!(targetRecall >= 0 && targetRecall <= 1)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--target-recall must be in [0, 1]; --target-recall=" + targetRecall);
      }
      r = new SeedEvaluation(feature, k, m, threads).withLshTrials(trials).withTargetRecall(targetRecall)
          .withTempoAlignment(align.alignment(spec.commandLine()))
          .run(all, byPackage ? Inputs.groups(all, filesFrom) : null, f -> progress.step(f.getFileName().toString()));
    }
    for (String f : r.failedFiles()) {
      err.println("rhythmsearch: " + f);
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("songs", r.songs());
      doc.put("queries", r.queries());
      doc.put("k", r.k());
      doc.put("feature", r.feature());
      doc.put("dimension", feature.dimension());
      doc.put("metric", r.metric().id());
      doc.put("tempoAlignment", align.describe());
      doc.put("exact", Map.of("precisionAtK", r.precisionAtK(), "meanQueryMicros", r.meanQueryMicros()));
      SeedEvaluation.LshResult l = r.lsh();
      if (l != null) {
        Map<String, Object> lsh = new LinkedHashMap<>();
        lsh.put("precisionAtK", Map.of("mean", l.precisionMean(), "min", l.precisionMin(), "max", l.precisionMax()));
        lsh.put("recallVsExact", Map.of("mean", l.recallMean(), "min", l.recallMin()));
        lsh.put("seedBucketRecall", Map.of("mean", l.seedBucketRecall()));
        lsh.put("meanQueryMicros", l.meanQueryMicros());
        lsh.put("candidatesPerQuery", l.candidatesPerQuery());
        lsh.put("emptyResults", l.emptyResults());
        lsh.put("trials", l.trials());
        lsh.put("params", Map.of("bits", l.firstParams().bits(), "tables", l.firstParams().tables(),
            "probes", l.firstParams().probes()));
        doc.put("lsh", lsh);
      }
      doc.put("leaveOneOut", Map.of("excerpts", r.looExcerpts(), "precisionAt1", r.looPrecisionAt1()));
      if (byPackage) {
        Map<String, Object> packages = new LinkedHashMap<>();
        packages.put("meanPrecisionAtK", r.byGroup().meanPrecisionAtK());
        packages.put("meanLeaveOneOutPrecisionAt1", r.byGroup().meanLooPrecisionAt1());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SeedEvaluation.GroupResult g : r.byGroup().groups()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("package", g.group());
          row.put("songs", g.songs());
          row.put("queries", g.queries());
          row.put("precisionAtK", g.precisionAtK());
          row.put("looExcerpts", g.looExcerpts());
          row.put("looPrecisionAt1", g.looPrecisionAt1());
          rows.add(row);
        }
        packages.put("packages", rows);
        doc.put("byPackage", packages);
      }
      doc.put("skippedSongs", r.skippedSongs().size());
      doc.put("failedFiles", r.failedFiles().size());
      doc.put("audioSeconds", r.audioSeconds());
      doc.put("extractSeconds", r.extractSeconds());
      Json.write(out, doc);
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
      out.flush();
    }
    if (!r.skippedSongs().isEmpty()) {
      err.printf("%d song(s) skipped (shorter than %.0f s or silent at the protocol's excerpts)%n", r.skippedSongs().size(),
          SeedEvaluation.FIRST_OFFSET + SeedEvaluation.GRID * (k + 1));
    }
    err.flush();
    return r.failedFiles().isEmpty() ? 0 : 1;
  }
}
