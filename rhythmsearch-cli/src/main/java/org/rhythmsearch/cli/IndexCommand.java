package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.rhythmsearch.audio.AudioStream;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.search.IndexContents;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.search.Recordings;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.util.Named;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch index PATH... --index DB}: parse, {@link Indexer} (and its LSH build), print. */
@Command(name = "index")
final class IndexCommand extends Cmd {

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Audio files or folders (none: only --prune and/or --ann).")
  List<Path> paths = new java.util.ArrayList<>();

  @Option(names = "--prune", description = "Also drop the tracks whose file is no longer at its path.")
  boolean prune;

  @Option(names = "--index", required = true, paramLabel = "DB",
      description = "Index file (created if missing; its folder must exist), or redis://HOST:PORT[/PREFIX] "
          + "(password in " + Stores.PASSWORD_ENV + "); " + IndexDefaults.HELP + ".")
  String index;

  @Mixin Options.Feature feature;

  @Option(names = "--threads", paramLabel = "N", converter = Options.PositiveInt.class,
      description = "Analysis threads (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", converter = Options.PositiveInt.class,
      description = "Tracks per transaction (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--ann", paramLabel = "auto|lsh|ivf",
      description = "Also build an approximate index over the whole index and store it (replacing the one stored before), "
          + "for query and serve to search through: lsh (random hyperplanes, the study's method), ivf (inverted file with "
          + "an 8-bit first pass), or auto: none below " + Indexer.AUTO_FROM_ROWS + " excerpts (exact tempo-aligned "
          + "search is faster there: the measured cross-over), else IVF. Each is measured as query will search: "
          + "recall@10 of exact search's tracks on whole tracks held out, and the speed-up; query --search auto uses "
          + "it only where it is faster with recall@10 >= " + Indexer.AUTO_MIN_RECALL + ".")
  String ann;

  @Option(names = "--lsh", description = "The same as --ann lsh (its earlier name).")
  boolean lsh;

  @Option(names = "--target-recall", paramLabel = "R",
      description = "With --ann: tune the approximate index on the data for this recall@10 against exact search (LSH: "
          + "bits, tables and probes; IVF: lists probed and re-rank budget, on whole tracks held out) "
          + "(default: size-based parameters).")
  Double targetRecall;

  @Option(names = "--max-duration", paramLabel = "SECONDS", converter = Options.PositiveSeconds.class,
      description = "Longest track to index, seconds (default: ${DEFAULT-VALUE}, 6 hours); a longer one is named and "
          + "skipped. Memory does not grow with a track's length.")
  double maxDuration = AudioStream.DEFAULT_MAX_SECONDS;

  @Option(names = "--vectors", paramLabel = "int8|float32",
      description = "How a new index holds its vectors: int8 (default: one byte a value with each excerpt's own range, "
          + "a quarter of the bytes, scores within about 0.0005) or float32 (exact). An existing index keeps its own.")
  VectorEncoding vectors;

  @Mixin Options.JsonOutput json;


  /** The {@code --json} document. */
  record Report(String index, String feature, int files, int added, int updated, int unchanged, int excerpts,
      double audioSeconds, double seconds, List<Indexer.Failure> failures, List<Indexer.Failure> noVectors, String lsh,
      Approximate approximate, List<String> pruned, List<Indexer.Failure> damaged, List<Indexer.Failure> warnings,
      List<Indexer.Relinked> recognised) {}

  /** The approximate index built: its kind, parameters, how they were chosen, and the build's seconds. */
  /**
   * The approximate index built: kind ({@code none} when auto kept exact search), parameters, how it was
   * chosen and measured, and what it measured as query searches (track recall@10 against exact search,
   * speed-up; NaN when not measured) and whether {@code query --search auto} uses it.
   */
  record Approximate(String kind, String params, String how, double seconds, double recallAt10, double speedup,
      boolean usedByAuto) {}

  @Override
  public Integer call() throws Exception {
    if (lsh && ann != null && !"lsh".equals(ann)) {
      throw usage("--lsh is --ann lsh; give one of them");
    }
    String annAsked = lsh ? "lsh" : ann;
    ApproximateIndex.Kind kind = null;
    if (annAsked != null && !"auto".equalsIgnoreCase(annAsked)) {
      try {
        kind = Named.byId(ApproximateIndex.Kind.class, annAsked, "--ann kind");
      } catch (IllegalArgumentException e) {
        throw usage("--ann: " + e.getMessage() + ", auto");
      }
    }
    if (targetRecall != null && annAsked == null) {
      throw usage("--target-recall needs --ann (it tunes the approximate index)");
    }
    if (targetRecall != null && !(targetRecall >= 0 && targetRecall <= 1)) {
      throw usage("--target-recall must be in [0, 1]; was " + targetRecall);
    }
    PrintWriter out = out();
    PrintWriter err = err();
    PrintWriter info = info();
    if (paths.isEmpty() && !prune && annAsked == null) {
      throw usage("give the audio files or folders to index (PATH...), --prune, or --ann");
    }
    List<Path> files = audioFiles(paths);
    long t0 = System.nanoTime();
    try (VectorStore store = Stores.open(index.toString(), feature.feature, vectors)) {
      Indexer.Summary s;
      try (Progress progress = new Progress("index", files.size(), quiet)) {
        s = new Indexer(store, threads, batch, maxDuration).index(files, (f, status) -> progress.step(f.getFileName().toString()));
      }
      List<String> pruned = prune ? IndexContents.prune(store) : List.of();
      for (String gone : pruned) {
        err.println("  pruned (file gone): " + gone);
      }
      String lshInfo = null;
      Approximate approximate = null;
      if (annAsked != null) {
        info.println(index + ": building the approximate index...");
        info.flush();
        Optional<Indexer.AnnBuild> built = Indexer.buildAnn(store, kind, targetRecall == null ? 0 : targetRecall);
        if (built.isPresent()) {
          Indexer.AnnBuild b = built.get();
          approximate = new Approximate(b.kind() == null ? "none" : b.kind().id(), b.params(), b.how(), b.seconds(),
              b.measured().recallAtK(), b.measured().speedup(), Indexer.usedByAuto(b.measured()));
          lshInfo = b.kind() == ApproximateIndex.Kind.LSH ? b.params() + " (" + b.how() + ")" : null;
          info.printf("%s: %s in %.1f s: %s%n", index, b.kind() == null ? "no approximate index" : b.params(), b.seconds(),
              b.how());
        } else {
          info.println(index + ": no vectors: no approximate index built");
        }
      }
      boolean changed = s.added() + s.updated() + s.relinked().size() + pruned.size() > 0;
      if (changed || store.note(ScoreScale.NOTE).isEmpty()) {
        // what a score means here, for query's words (a few seconds at most: the number of tracks queried
        // shrinks with the index)
        ScoreScale.saveFor(store);
      }
      if (changed && store.note(Recordings.NOTE).isPresent()
          && store.tracks().stream().mapToLong(TrackRecord::excerpts).sum() <= Recordings.MAX_ROWS) {
        // dedupe ran on this index: its groups are kept current (beyond the limit, dedupe again)
        store.saveNote(Recordings.NOTE, Recordings.find(store.snapshot()).toNote());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (json.json) {
        Json.write(out, new Report(index.toString(), store.config().id(), files.size(), s.added(), s.updated(),
            s.unchanged(), s.excerpts(), s.audioSeconds(), seconds, s.failures(), s.noVectors(), lshInfo, approximate, pruned,
            s.damaged(), s.warnings(), s.relinked()));
      }
      info.printf("%s: %d added, %d updated, %d unchanged, %d failed, %d without vectors, %d damaged%s; %d excerpts from "
          + "%.0f s of audio in %.1f s (feature %s)%n", index, s.added(), s.updated(), s.unchanged(), s.failures().size(),
          s.noVectors().size(), s.damaged().size(), prune ? ", " + pruned.size() + " pruned (file gone)" : "", s.excerpts(),
          s.audioSeconds(), seconds, store.config().id());
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
      long moved = s.relinked().stream().filter(r -> !r.from().equals(r.to())).count();
      if (!s.relinked().isEmpty()) {
        info.printf("  recognised by content, not decoded: %d moved or renamed, %d with a new modification time%n", moved,
            s.relinked().size() - moved);
      }
      if (verbose()) {
        for (Indexer.Relinked r : s.relinked()) {
          err.println(r.from().equals(r.to()) ? "  same content: " + r.to() : "  moved: " + r.from() + " -> " + r.to());
        }
      }
      reportWalk(verbose());
      err.flush();
      return s.problems() > 0 || !s.damaged().isEmpty() || inputProblems > 0 ? 1 : 0;
    }
  }
}
