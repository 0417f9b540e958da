package org.rhythmsearch.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.SkippedExcerpt;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch features FILE}: the rhythm vectors of one file's excerpts. */
@Command(name = "features")
final class FeaturesCommand extends Cmd {

  @Parameters(index = "0", paramLabel = "FILE", description = "Audio file.")
  Path file;

  @CommandLine.Mixin Options.Feature featureOption;

  @Option(names = "--hop", paramLabel = "SECONDS", defaultValue = "10",
      description = "Seconds between excerpt starts (default: ${DEFAULT-VALUE}).")
  double hop;

  @CommandLine.Mixin Options.JsonOutput json;

  @Override
  public Integer call() throws Exception {
    if (!(hop > 0) || Double.isInfinite(hop)) {
      throw usage("--hop must be > 0 seconds; --hop=" + hop);
    }
    FeatureConfig feature = featureOption.orDefault();
    PrintWriter out = out();
    PrintWriter err = err();
    TrackFeatures t = new FeatureExtractor(feature).track(file, hop);
    if (json.json) {
      Json.write(out, document(t, feature));
    } else {
      err.printf("%s: %.2f s, tempo %s, feature %s (dimension %d), %d excerpt(s), %d skipped%n", file,
          t.durationSeconds(), Double.isNaN(t.tempoBpm()) ? "unknown" : String.format("%.1f BPM", t.tempoBpm()),
          feature.id(), feature.dimension(), t.excerpts().size(), t.skipped().size());
      for (ExcerptVector e : t.excerpts()) {
        out.printf("%.2f", e.startSeconds());
        for (float v : e.vector()) {
          out.printf(" %.6g", v);
        }
        out.println();
      }
      for (SkippedExcerpt s : t.skipped()) {
        err.printf("  skipped excerpt at %.2f s: %s%n", s.startSeconds(), s.reason());
      }
      out.flush();
    }
    if (t.problem() != null) {
      err.println("rhythmsearch: " + file + ": " + t.problem());
      err.flush();
      return 1;
    }
    err.flush();
    return 0;
  }

  /** The {@code --json} document. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(String file, String feature, int featureVersion, String featureId, int dimension, double durationSeconds,
      double hopSeconds, double tempoBpm, List<ExcerptVector> excerpts, List<SkippedExcerpt> skipped, String problem,
      Object parameters) {}

  private Report document(TrackFeatures t, FeatureConfig feature) {
    return new Report(file.toString(), feature.name(), feature.version(), feature.id(), feature.dimension(),
        t.durationSeconds(), hop, t.tempoBpm(), t.excerpts(), t.skipped(), t.problem(), feature.parameters());
  }
}
