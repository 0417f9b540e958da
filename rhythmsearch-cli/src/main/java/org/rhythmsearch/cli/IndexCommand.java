package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.rhythmsearch.audio.AudioStream;
import org.rhythmsearch.http.Json;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch index PATH... --index DB}: parse, {@link Indexer} (and its LSH build), print. */
@Command(name = "index")
final class IndexCommand extends Cmd {

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Audio files or folders (none: only --prune).")
  List<Path> paths = new java.util.ArrayList<>();

  @Option(names = "--prune", description = "Also drop the tracks whose file is no longer at its path.")
  boolean prune;

  @Option(names = "--index", required = true, paramLabel = "DB",
      description = "Index file (created if missing; its folder must exist), or redis://HOST:PORT[/PREFIX] "
          + "(password in " + org.rhythmsearch.store.RedisStore.PASSWORD_ENV + ").")
  String index;

  @Mixin Options.Feature feature;

  @Option(names = "--threads", paramLabel = "N", converter = Options.PositiveInt.class,
      description = "Analysis threads (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", converter = Options.PositiveInt.class,
      description = "Tracks per transaction (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lsh", description = "Also build the LSH index (stored in DB; used by query --lsh).")
  boolean lsh;

  @Option(names = "--target-recall", paramLabel = "R",
      description = "With --lsh: tune bits, tables and probes on the data for this recall@10 against exact search "
          + "(default: size-based parameters).")
  Double targetRecall;

  @Option(names = "--max-duration", paramLabel = "SECONDS", converter = Options.PositiveSeconds.class,
      description = "Longest track to index, seconds (default: ${DEFAULT-VALUE}, 6 hours); a longer one is named and "
          + "skipped. Memory does not grow with a track's length.")
  double maxDuration = AudioStream.DEFAULT_MAX_SECONDS;

  @Mixin Options.JsonOutput json;

  /** The {@code --json} document. */
  record Report(String index, String feature, int files, int added, int updated, int unchanged, int excerpts,
      double audioSeconds, double seconds, List<Indexer.Failure> failures, List<Indexer.Failure> noVectors, String lsh,
      List<String> pruned, List<Indexer.Failure> damaged, List<Indexer.Failure> warnings) {}

  @Override
  public Integer call() throws Exception {
    if (targetRecall != null && !lsh) {
      throw usage("--target-recall needs --lsh (it tunes the LSH index)");
    }
    if (targetRecall != null && !(targetRecall >= 0 && targetRecall <= 1)) {
      throw usage("--target-recall must be in [0, 1]; was " + targetRecall);
    }
    PrintWriter out = out();
    PrintWriter err = err();
    if (paths.isEmpty() && !prune) {
      throw usage("give the audio files or folders to index (PATH...), or --prune");
    }
    List<Path> files = audioFiles(paths);
    long t0 = System.nanoTime();
    try (VectorStore store = Stores.open(index.toString(), feature.feature)) {
      Indexer.Summary s;
      try (Progress progress = new Progress("index", files.size())) {
        s = new Indexer(store, threads, batch, maxDuration).index(files, (f, status) -> progress.step(f.getFileName().toString()));
      }
      List<String> pruned = prune ? org.rhythmsearch.search.IndexContents.prune(store) : List.of();
      for (String gone : pruned) {
        err.println("  pruned (file gone): " + gone);
      }
      String lshInfo = null;
      if (lsh) {
        Optional<Indexer.LshBuild> built = Indexer.buildLsh(store, targetRecall == null ? 0 : targetRecall);
        lshInfo = built.map(b -> String.format("K=%d bits, L=%d tables, %d probes, seed %d (%s)", b.params().bits(),
            b.params().tables(), b.params().probes(), b.params().seed(), b.how())).orElse("no vectors: no LSH index built");
        err.println(index + ": LSH " + lshInfo);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (json.json) {
        Json.write(out, new Report(index.toString(), store.config().id(), files.size(), s.added(), s.updated(),
            s.unchanged(), s.excerpts(), s.audioSeconds(), seconds, s.failures(), s.noVectors(), lshInfo, pruned,
            s.damaged(), s.warnings()));
      }
      err.printf("%s: %d added, %d updated, %d unchanged, %d failed, %d without vectors, %d damaged; %d excerpts from "
          + "%.0f s of audio in %.1f s (feature %s)%n", index, s.added(), s.updated(), s.unchanged(), s.failures().size(),
          s.noVectors().size(), s.damaged().size(), s.excerpts(), s.audioSeconds(), seconds, store.config().id());
      for (Indexer.Failure f : s.failures()) {
        err.println("  failed: " + f.reason());
      }
      for (Indexer.Failure f : s.noVectors()) {
        err.println("  no vectors: " + f.path() + ": " + f.reason());
      }
      for (Indexer.Failure f : s.damaged()) {
        err.println("  damaged, indexed up to the damage: " + f.path() + ": " + f.reason());
      }
      for (Indexer.Failure f : s.warnings()) {
        err.println("  warning: " + f.path() + ": " + f.reason());
      }
      err.flush();
      return s.problems() > 0 || !s.damaged().isEmpty() || inputProblems > 0 ? 1 : 0;
    }
  }
}
