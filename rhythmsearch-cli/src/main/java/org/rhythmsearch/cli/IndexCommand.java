package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rhythmsearch.eval.AudioFiles;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.SqliteStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch index PATH... --index DB}. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = {
      "Add audio files (folders are walked for wav aif aiff au ogg opus mp3 flac) to an index file (SQLite).",
      "Unchanged files (same size and modification time) are skipped; changed files are re-analysed.",
      "Tracks are committed in batches: an interrupted run keeps what it committed and resumes when run again."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every file indexed (or unchanged)", "1:some files failed or gave no vectors (listed; the rest were indexed)",
      "2:usage error, or the index was built with another feature"})
final class IndexCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
  List<Path> paths;

  @Option(names = "--index", required = true, paramLabel = "DB", description = "Index file (created if missing).")
  Path index;

  @Option(names = "--feature", paramLabel = "NAME", converter = FeatureOption.class,
      completionCandidates = FeatureOption.Names.class,
      description = "Feature for a new index: ${COMPLETION-CANDIDATES} (default: the index's own, or " + FeatureConfigs.DEFAULT_NAME + ").")
  FeatureConfig feature;

  @Option(names = "--threads", paramLabel = "N", description = "Analysis threads (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Tracks per transaction (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lsh", description = "Also build the LSH index (stored in DB; used by query --lsh).")
  boolean lsh;

  @Option(names = "--target-recall", paramLabel = "R", defaultValue = "0",
      description = "With --lsh: tune bits, tables and probes on the data for this recall@10 against exact search "
          + "(0: size-based defaults; default: ${DEFAULT-VALUE}).")
  double targetRecall;

  @Option(names = "--json", description = "Write one JSON document to stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (threads < 1 || batch < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads and --batch must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files;
    try {
      files = AudioFiles.expand(paths);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    long t0 = System.nanoTime();
    try (SqliteStore store = feature == null && Files.exists(index)
        ? SqliteStore.openExisting(index)
        : SqliteStore.open(index, feature == null ? FeatureConfigs.DEFAULT : feature)) {
      Indexer.Summary s;
      try (Progress progress = new Progress("index", files.size())) {
        s = new Indexer(store, threads, batch, null).index(files, (f, status) -> progress.step(f.getFileName().toString()));
      }
      String lshInfo = null;
      if (lsh) {
        lshInfo = buildLsh(store, err);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("index", index.toString());
        doc.put("feature", store.config().id());
        doc.put("files", files.size());
        doc.put("added", s.added());
        doc.put("updated", s.updated());
        doc.put("unchanged", s.unchanged());
        doc.put("excerpts", s.excerpts());
        doc.put("audioSeconds", s.audioSeconds());
        doc.put("seconds", seconds);
        doc.put("failures", failures(s.failures()));
        doc.put("noVectors", failures(s.noVectors()));
        if (lshInfo != null) {
          doc.put("lsh", lshInfo);
        }
        Json.write(out, doc);
      }
      err.printf("%s: %d added, %d updated, %d unchanged, %d failed, %d without vectors; %d excerpts from %.0f s of audio "
          + "in %.1f s (feature %s)%n", index, s.added(), s.updated(), s.unchanged(), s.failures().size(),
          s.noVectors().size(), s.excerpts(), s.audioSeconds(), seconds, store.config().id());
      for (Indexer.Failure f : s.failures()) {
        err.println("  failed: " + f.reason());
      }
      for (Indexer.Failure f : s.noVectors()) {
        err.println("  no vectors: " + f.path() + ": " + f.reason());
      }
      err.flush();
      return s.problems() > 0 ? 1 : 0;
    }
  }

  private String buildLsh(SqliteStore store, PrintWriter err) throws Exception {
    if (!(targetRecall >= 0 && targetRecall <= 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--target-recall must be in [0, 1]; --target-recall=" + targetRecall);
    }
    org.rhythmsearch.store.Snapshot snap = store.snapshot();
    if (snap.vectors().rows() == 0) {
      return "no vectors: no LSH index built";
    }
    org.rhythmsearch.index.LshIndex.Params params;
    String how;
    if (targetRecall > 0 && snap.vectors().rows() >= 10) {
      org.rhythmsearch.index.LshTuner.Choice c = org.rhythmsearch.index.LshTuner.tune(snap.vectors(), 10, targetRecall, 42, 20_000, 200);
      params = c.params();
      how = String.format("tuned for recall@10 %.2f: measured %.3f with %.0f candidates per query%s", targetRecall, c.recall(),
          c.candidatesPerQuery(), c.targetReached() ? "" : " (target not reached: best found)");
    } else {
      params = org.rhythmsearch.index.LshIndex.Params.forSize(snap.vectors().rows(), 42);
      how = "size-based defaults";
    }
    store.saveLsh(snap, new org.rhythmsearch.index.LshIndex(snap.vectors(), params));
    String info = String.format("K=%d bits, L=%d tables, %d probes, seed %d (%s)", params.bits(), params.tables(),
        params.probes(), params.seed(), how);
    err.println(index + ": LSH " + info);
    return info;
  }

  static List<Map<String, String>> failures(List<Indexer.Failure> list) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Indexer.Failure f : list) {
      out.add(Map.of("path", f.path(), "reason", f.reason()));
    }
    return out;
  }
}
