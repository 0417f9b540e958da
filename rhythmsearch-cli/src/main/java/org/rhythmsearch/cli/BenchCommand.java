package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rhythmsearch.eval.AudioFiles;
import org.rhythmsearch.eval.ExtractionBenchmark;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch bench …}: speed measurements. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
    subcommands = {BenchCommand.Extract.class, BenchCommand.Exact.class, BenchCommand.Load.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: extract, exact or load");
  }

  /** {@code rhythmsearch bench extract PATH...}. */
  @Command(name = "extract", mixinStandardHelpOptions = true,
      description = {
        "Feature-extraction speed on one thread, as multiples of real time (audio seconds per CPU second):",
        "end to end (decode + resample + features) and from 22050-Hz PCM (features only).",
        "Folders are walked for wav aif aiff au ogg mp3 flac files. The fastest of --rounds passes is reported."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:measured", "1:some files could not be decoded (the rest were measured)", "2:usage error"})
  static final class Extract implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
    List<Path> paths;

    @Option(names = "--feature", paramLabel = "NAME", converter = FeatureOption.class,
        completionCandidates = FeatureOption.Names.class, defaultValue = FeatureConfigs.DEFAULT_NAME,
        description = "Feature configuration: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FeatureConfig feature = FeatureConfigs.DEFAULT;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured passes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-files", defaultValue = "3",
        description = "Files processed first to warm up the JIT, not counted (default: ${DEFAULT-VALUE}).")
    int warmupFiles;

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() {
      if (rounds < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be >= 1; --rounds=" + rounds);
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Path> files = AudioFiles.expand(paths);
      if (files.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no audio files under " + paths);
      }
      boolean tty = System.console() != null;
      ExtractionBenchmark.Result r = new ExtractionBenchmark(feature).run(files, warmupFiles, rounds, s -> {
        if (tty) {
          err.print("\r\033[K" + s);
          err.flush();
        }
      });
      if (tty) {
        err.print("\r\033[K");
      }
      for (String f : r.failures()) {
        err.println("rhythmsearch: " + f);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("feature", feature.id());
      doc.put("files", r.files());
      doc.put("failedFiles", r.failedFiles());
      doc.put("excerpts", r.excerpts());
      doc.put("audioSeconds", r.audioSeconds());
      doc.put("cpuSeconds", r.cpuSeconds());
      doc.put("decodeSeconds", r.decodeSeconds());
      doc.put("resampleSeconds", r.resampleSeconds());
      doc.put("featureSeconds", r.featureSeconds());
      doc.put("xRealtime", r.xRealtime());
      doc.put("xRealtimeFromPcm", r.xRealtimeFromPcm());
      doc.put("xRealtimeDecode", r.xRealtimeDecode());
      doc.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      if (json) {
        Json.write(out, doc);
      } else {
        out.printf("%d files, %.1f s of audio, feature %s, one thread%n", r.files(), r.audioSeconds(), feature.id());
        out.printf("  end to end : %8.0f x realtime (%.2f CPU s)%n", r.xRealtime(), r.cpuSeconds());
        out.printf("  decode     : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeDecode(), r.decodeSeconds());
        out.printf("  resample   : %8.0f x realtime (%.2f CPU s)%n", r.audioSeconds() / r.resampleSeconds(), r.resampleSeconds());
        out.printf("  from PCM   : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeFromPcm(), r.featureSeconds());
        out.flush();
      }
      err.flush();
      return r.failedFiles() > 0 ? 1 : 0;
    }
  }

  /** {@code rhythmsearch bench exact}: nanoseconds per vector of brute-force search. */
  @Command(name = "exact", mixinStandardHelpOptions = true,
      description = "Brute-force search speed in nanoseconds per scored vector, Vector API kernel vs scalar loops "
          + "(same process, seeded random unit vectors, one thread).")
  static final class Exact implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--vectors", defaultValue = "100000", description = "Vectors (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--dim", defaultValue = "216", description = "Dimension (default: ${DEFAULT-VALUE}, the default feature's).")
    int dim;

    @Option(names = "--queries", defaultValue = "20", description = "Queries per timed round (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--metric", defaultValue = "cosine", description = "cosine, euclidean or l1 (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() {
      if (vectors < 1 || dim < 1 || queries < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--vectors, --dim and --queries must be >= 1");
      }
      org.rhythmsearch.index.Metric m;
      try {
        m = org.rhythmsearch.index.Metric.byId(metric);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      org.rhythmsearch.eval.SearchBenchmarks.ExactResult r =
          org.rhythmsearch.eval.SearchBenchmarks.exact(vectors, dim, queries, m, 42);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vectors", r.vectors());
        doc.put("dim", r.dim());
        doc.put("metric", r.metric().id());
        doc.put("simdAvailable", r.simdAvailable());
        doc.put("nsPerVector", r.simdNsPerVector());
        doc.put("scalarNsPerVector", r.scalarNsPerVector());
        doc.put("speedupOverScalar", r.scalarNsPerVector() / r.simdNsPerVector());
        Json.write(out, doc);
      } else {
        out.printf("%d vectors x %d dims, %s, one thread:%n", r.vectors(), r.dim(), r.metric().id());
        out.printf("  %s: %.1f ns per vector%n", r.simdAvailable() ? "Vector API" : "scalar (no Vector API module)",
            r.simdNsPerVector());
        out.printf("  scalar     : %.1f ns per vector (%.1fx slower)%n", r.scalarNsPerVector(),
            r.scalarNsPerVector() / r.simdNsPerVector());
        out.flush();
      }
      return 0;
    }
  }

  /** {@code rhythmsearch bench load}: index write and load time. */
  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Writes N random excerpt vectors into a temporary SQLite index and times loading them for search.")
  static final class Load implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--excerpts", defaultValue = "100000", description = "Excerpts (default: ${DEFAULT-VALUE}).")
    int excerpts;

    @Option(names = "--feature", paramLabel = "NAME", converter = FeatureOption.class,
        completionCandidates = FeatureOption.Names.class, defaultValue = FeatureConfigs.DEFAULT_NAME,
        description = "Feature (sets the dimension; default: ${DEFAULT-VALUE}).")
    FeatureConfig feature = FeatureConfigs.DEFAULT;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder for the temporary index (default: the system temp folder).")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (excerpts < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--excerpts must be >= 1");
      }
      org.rhythmsearch.eval.SearchBenchmarks.LoadResult r =
          org.rhythmsearch.eval.SearchBenchmarks.load(dir, feature, excerpts, 42);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("excerpts", r.excerpts());
        doc.put("tracks", r.tracks());
        doc.put("dim", r.dim());
        doc.put("writeSeconds", r.writeSeconds());
        doc.put("loadSeconds", r.loadSeconds());
        doc.put("fileBytes", r.fileBytes());
        Json.write(out, doc);
      } else {
        out.printf("%d excerpts (%d tracks, %d dims): written in %.2f s, loaded in %.2f s; file %.1f MB%n", r.excerpts(),
            r.tracks(), r.dim(), r.writeSeconds(), r.loadSeconds(), r.fileBytes() / 1e6);
        out.flush();
      }
      return 0;
    }
  }
}
