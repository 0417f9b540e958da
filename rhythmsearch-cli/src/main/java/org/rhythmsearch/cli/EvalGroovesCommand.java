package org.rhythmsearch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.eval.GrooveEvaluation;
import org.rhythmsearch.eval.GrooveSynth;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rhythmsearch eval-grooves}: meter and groove family on generated grooves. */
@Command(name = "eval-grooves")
final class EvalGroovesCommand extends Cmd {

  @CommandLine.Mixin Options.Feature featureOption;

  @CommandLine.Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @Option(names = "--hub-k", paramLabel = "K", defaultValue = "0",
      description = "Hub reduction as in eval --hub-k (0: off; default: ${DEFAULT-VALUE}).")
  int hubK;

  @Option(names = "--takes", paramLabel = "N", defaultValue = "2",
      description = "Takes of every groove x ensemble x tempo, each with its own human timing, dynamics and tuning "
          + "(default: ${DEFAULT-VALUE}).")
  int takes;

  @CommandLine.Mixin Options.JsonOutput json;

  /** The {@code --json} document. */
  record Report(String feature, TempoAlignment tempoAlignment, int hubK, int clips, double[] tempi,
      List<GrooveEvaluation.FamilyResult> families, double nearestSameFamily, double nearestSameMeter,
      double otherEnsembleSameFamily, double otherEnsembleSameMeter, int waltzFourFourConfusions,
      Map<String, Map<String, Integer>> otherEnsembleConfusions) {}

  @Override
  public Integer call() {
    if (hubK < 0 || takes < 1) {
      throw usage("--hub-k must be >= 0, --takes >= 1");
    }
    FeatureConfig feature = featureOption.orDefault();
    TempoAlignment alignment = align.alignment(spec.commandLine());
    GrooveEvaluation.Result r = new GrooveEvaluation(new Similarity(feature, Metric.COSINE, alignment), hubK, takes).run();
    GrooveSynth.Family[] families = GrooveSynth.Family.values();
    Map<String, Map<String, Integer>> confusions = new LinkedHashMap<>();
    for (GrooveSynth.Family f : families) {
      Map<String, Integer> row = new LinkedHashMap<>();
      for (GrooveSynth.Family g : families) {
        row.put(g.name().toLowerCase(), r.otherEnsembleConfusions()[f.ordinal()][g.ordinal()]);
      }
      confusions.put(f.name().toLowerCase(), row);
    }
    Report doc = new Report(feature.name(), alignment, hubK, r.clips(), GrooveEvaluation.TEMPI, r.families(),
        r.nearestSameFamily(), r.nearestSameMeter(), r.otherEnsembleSameFamily(), r.otherEnsembleSameMeter(),
        r.waltzFourFourConfusions(), confusions);
    return report(json.json, doc, out -> {
      out.printf("feature %s, %d clips (%d grooves x %d ensembles x %d tempi x %d takes)%n", feature.name(), r.clips(),
          families.length, GrooveSynth.Ensemble.values().length, GrooveEvaluation.TEMPI.length, takes);
      out.println("nearest other clip of the same ...   family / meter   (among other ensembles: family / meter)");
      List<String> lines = new ArrayList<>();
      for (GrooveEvaluation.FamilyResult f : r.families()) {
        lines.add(String.format("  %-12s %-10s %5.3f / %5.3f   (%5.3f / %5.3f)", f.family().name().toLowerCase(),
            f.meter().name().toLowerCase(), f.nearestSameFamily(), f.nearestSameMeter(), f.otherEnsembleSameFamily(),
            f.otherEnsembleSameMeter()));
      }
      lines.forEach(out::println);
      out.printf("  %-23s %5.3f / %5.3f   (%5.3f / %5.3f)%n", "all", r.nearestSameFamily(), r.nearestSameMeter(),
          r.otherEnsembleSameFamily(), r.otherEnsembleSameMeter());
      out.printf("waltz <-> 4/4 at the same tempo as nearest clip: %d%n", r.waltzFourFourConfusions());
    });
  }
}
