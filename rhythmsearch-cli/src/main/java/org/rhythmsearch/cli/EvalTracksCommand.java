package org.rhythmsearch.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.eval.TrackEvaluation;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.TempoAlignment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch eval-tracks}: track-level retrieval (the right song's rank) for every aggregation. */
@Command(name = "eval-tracks")
final class EvalTracksCommand extends Cmd {

  @CommandLine.Mixin Options.Collection collection;

  @Option(names = "--pairs", paramLabel = "TSV",
      description = "Query file, a TAB and the collection song it should find, per line; repeat for several query sets.")
  List<Path> pairsFiles = new ArrayList<>();

  @CommandLine.Mixin Options.Feature featureOption;

  @Option(names = "--tempo-tolerance", paramLabel = "T", defaultValue = "0",
      description = "Tempo-tolerant search: also match the query rescaled by 1-T ... 1+T (e.g. 0.15); lag-indexed features only.")
  double tempoTolerance;

  @CommandLine.Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @Option(names = "--search", paramLabel = "exact|ivf|lsh", defaultValue = "exact",
      description = "Rank exactly (default), or through an approximate index built over the collection at its "
          + "size-based defaults, as query --search approximate ranks.")
  String search;

  @CommandLine.Mixin Options.HeldVectors held;

  @CommandLine.Mixin Options.JsonOutput json;

  /** The {@code --json} document of one query set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(String feature, String vectors, String mode, String search, double tempoTolerance,
      TempoAlignment tempoAlignment, String queries,
      int songs, int queryCount, Map<String, TrackEvaluation.Scores> aggregations, int failures, List<Double> tempoRatios,
      List<Double> regionTempoRatios, List<PerQuery> perQuery) {

    /** One query's rank of its song under each aggregation. */
    record PerQuery(String query, String expected, Map<String, Integer> ranks) {}

    static Report of(TrackEvaluation.Result r, String vectors, String search, String label, double tolerance,
        TempoAlignment alignment,
        boolean pairs) {
      Map<String, TrackEvaluation.Scores> aggs = new LinkedHashMap<>();
      r.byAggregation().forEach((a, s) -> aggs.put(a.id(), s));
      List<PerQuery> per = new ArrayList<>();
      for (TrackEvaluation.QueryRanks q : r.perQuery()) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        q.ranks().forEach((a, rank) -> ranks.put(a.id(), rank));
        per.add(new PerQuery(q.query(), q.expected(), ranks));
      }
      return new Report(r.feature(), vectors, r.mode(), search, tolerance, alignment, label, r.songs(), r.queries(), aggs,
          r.failures().size(), pairs ? r.tempoRatios() : null, pairs ? r.regionTempoRatios() : null, per);
    }
  }

  /** Several query sets. */
  record Results(List<Report> results) {}

  @Override
  public Integer call() throws IOException {
    FeatureConfig feature = featureOption.orDefault();
    List<Path> songs;
    List<List<TrackEvaluation.Pair>> sets = new ArrayList<>();
    try {
      songs = Inputs.collect(collection.paths, collection.filesFrom, this::inputProblem);
      for (Path pairsFile : pairsFiles) {
        List<TrackEvaluation.Pair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(pairsFile)) {
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          String[] cols = line.split("\t");
          if (cols.length < 2 || cols.length > 3) {
            throw new IllegalArgumentException(pairsFile + ": expected 'query<TAB>expected song[<TAB>start of the query in "
                + "the song, seconds]' in line: " + line);
          }
          double offset = Double.NaN;
          if (cols.length == 3) {
            try {
              offset = Double.parseDouble(cols[2]);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException(pairsFile + ": the third column is not a number of seconds in line: " + line);
            }
          }
          pairs.add(new TrackEvaluation.Pair(Path.of(cols[0]), Path.of(cols[1]), offset));
        }
        sets.add(pairs);
      }
    } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
      throw usage(e.getMessage());
    }
    if (songs.isEmpty()) {
      throw usage("no collection given (PATH... or --files-from)");
    }
    if (sets.isEmpty()) {
      sets.add(null);
    }
    if (!(tempoTolerance >= 0 && tempoTolerance < 1) || (tempoTolerance > 0 && !feature.lagIndexed())) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--tempo-tolerance must be in [0, 1) and needs a lag-indexed feature; --tempo-tolerance=" + tempoTolerance);
    }
    ApproximateIndex.Kind ann = switch (search) {
      case "exact" -> null;
      case "ivf" -> ApproximateIndex.Kind.IVF;
      case "lsh" -> ApproximateIndex.Kind.LSH;
      default -> throw usage("--search " + search + ": use exact, ivf or lsh");
    };
    TrackEvaluation evaluation = new TrackEvaluation(feature, Metric.COSINE, collection.threads).withTempoTolerance(tempoTolerance)
        .withTempoAlignment(align.alignment(spec.commandLine())).withApproximate(ann).withVectors(held.vectors);
    PrintWriter out = out();
    PrintWriter err = err();
    List<Report> docs = new ArrayList<>();
    int failures = 0;
    for (int i = 0; i < sets.size(); i++) {
      List<TrackEvaluation.Pair> pairs = sets.get(i);
      TrackEvaluation.Result r;
      int total = songs.size() + (pairs == null ? 0 : pairs.size());
      try (Progress progress = new Progress("eval-tracks " + feature.name(), total, quiet)) {
        r = evaluation.run(songs, pairs, f -> progress.step(f.getFileName().toString()));
      }
      failures += r.failures().size();
      for (String f : r.failures()) {
        err.println("rhythmsearch: " + f);
      }
      String label = pairs == null ? "held-out-part" : pairsFiles.get(i).toString();
      if (json.json) {
        docs.add(Report.of(r, held.vectors.id(), search, label, tempoTolerance, align.alignment(spec.commandLine()), pairs != null && !pairs.isEmpty()));
      } else {
        out.printf("feature %s, %s, %d songs, %d queries (%s)%n", r.feature(), r.mode(), r.songs(), r.queries(), label);
        for (Map.Entry<Aggregation, TrackEvaluation.Scores> e : r.byAggregation().entrySet()) {
          TrackEvaluation.Scores s = e.getValue();
          out.printf("  %-5s recall@1 %.3f  recall@5 %.3f  MRR %.3f  mean rank %.2f%n", e.getKey().id(), s.recallAt1(),
              s.recallAt5(), s.meanReciprocalRank(), s.meanRank());
        }
        out.flush();
      }
    }
    if (json.json) {
      Json.write(out, docs.size() == 1 ? docs.get(0) : new Results(docs));
    }
    err.flush();
    return failures == 0 && inputProblems == 0 ? 0 : 1;
  }
}
