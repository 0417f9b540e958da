package org.rhythmsearch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.rhythmsearch.eval.ProjectionFit;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rhythmsearch fit-projection --out FILE [PATH...] [--files-from LIST]}. */
@Command(name = "fit-projection")
final class FitProjectionCommand extends Cmd {

  @CommandLine.Mixin Options.Collection collection;

  @Option(names = "--feature", paramLabel = "NAME", defaultValue = "onset-beat-16",
      description = "The descriptor projected: a feature without a projection (default: ${DEFAULT-VALUE}, the "
          + "descriptor of " + FeatureConfigs.ONSET_BEAT_16W_NAME + ").")
  String featureName;

  @Option(names = "--dims", paramLabel = "D", defaultValue = "" + FeatureConfigs.WHITENED_DIMS,
      description = "Dimensions kept (default: ${DEFAULT-VALUE}).")
  int dims;

  @Option(names = "--shrink", paramLabel = "S", defaultValue = "" + FeatureConfigs.WHITENED_SHRINK,
      description = "Whitening shrink: each axis is divided by sqrt(variance + S x mean variance of the kept axes) "
          + "(default: ${DEFAULT-VALUE}).")
  double shrink;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "Grid-excerpt cache shared with eval --cache.")
  Path cacheDir;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "Where the projection is written (replaced atomically).")
  Path outFile;

  @Override
  public Integer call() throws IOException {
    FeatureConfig feature;
    try {
      feature = FeatureConfigs.byName(featureName);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (feature.projection() != null) {
      throw usage("--feature " + featureName + " is already projected; name its descriptor (e.g. onset-beat-16)");
    }
    if (dims < 1 || dims > feature.dimension() || !(shrink > 0 && shrink <= 10)) {
      throw usage("--dims must be in [1, " + feature.dimension() + "] and --shrink in (0, 10]");
    }
    List<Path> all;
    try {
      all = Inputs.collect(collection.paths, collection.filesFrom, this::inputProblem);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (all.size() < 2) {
      throw usage("a projection needs at least 2 audio files (PATH... or --files-from)");
    }
    ProjectionFit.Fitted f;
    try (Progress progress = new Progress("fit-projection " + feature.name(), all.size(), quiet)) {
      f = new ProjectionFit(feature, dims, shrink, collection.threads, cacheDir).fit(all,
          p -> progress.step(p.getFileName().toString()));
    }
    for (String failed : f.failedFiles()) {
      err().println("rhythmsearch: " + failed);
    }
    Path tmp = Files.createTempFile(outFile.toAbsolutePath().getParent(), ".projection", ".tmp");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      f.projection().write(o);
    }
    Files.move(tmp, outFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out().printf("%s: %s (%d -> %d values), fitted on %d excerpts of %d songs%n", outFile, f.projection().id(),
        f.projection().inputDim(), f.projection().outputDim(), f.excerpts(), f.songs());
    out().flush();
    err().flush();
    return f.failedFiles().isEmpty() && inputProblems == 0 ? 0 : 1;
  }
}
