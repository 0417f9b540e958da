package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.rhythmsearch.bench.ExtractionBenchmark;
import org.rhythmsearch.bench.SearchBenchmarks;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch bench …}: speed measurements (the benchmarks live in rhythmsearch-bench). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Extract.class, BenchCommand.Exact.class, BenchCommand.Load.class, BenchIndexCommand.class,
      BenchKernelsCommand.class, BenchServeCommand.class, BenchAlignedCommand.class,
      BenchMakeIndexCommand.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: extract, exact, load, index, aligned, kernels or serve");
  }

  /** {@code rhythmsearch bench extract PATH...}. */
  @Command(name = "extract")
  static final class Extract extends Cmd {

    /** The {@code --json} document. */
    record ExtractReport(String feature, int files, int failedFiles, int excerpts, double audioSeconds, double cpuSeconds,
        double decodeSeconds, double resampleSeconds, double featureSeconds, double xRealtime, double xRealtimeFromPcm,
        double xRealtimeDecode, String java) {}

      @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
    List<Path> paths;

    @Mixin Options.Feature feature;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", converter = Options.PositiveInt.class,
        description = "Measured passes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-files", paramLabel = "N", defaultValue = "3",
        description = "Files processed first to warm up the JIT, not counted (default: ${DEFAULT-VALUE}).")
    int warmupFiles;

    @Mixin Options.JsonOutput json;

    @Override
    public Integer call() {
      PrintWriter out = out();
      PrintWriter err = err();
      List<Path> files = audioFiles(paths);
      if (files.isEmpty()) {
        throw usage("no audio files under " + paths);
      }
      boolean tty = Progress.enabled();
      ExtractionBenchmark.Result r = new ExtractionBenchmark(feature.orDefault()).run(files, warmupFiles, rounds, s -> {
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
      ExtractReport doc = new ExtractReport(feature.orDefault().id(), r.files(), r.failedFiles(), r.excerpts(), r.audioSeconds(),
          r.cpuSeconds(), r.decodeSeconds(), r.resampleSeconds(), r.featureSeconds(), r.xRealtime(), r.xRealtimeFromPcm(),
          r.xRealtimeDecode(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      if (json.json) {
        Json.write(out, doc);
      } else {
        out.printf("%d files, %.1f s of audio, feature %s, one thread%n", r.files(), r.audioSeconds(), feature.orDefault().id());
        out.printf("  end to end : %8.0f x realtime (%.2f CPU s)%n", r.xRealtime(), r.cpuSeconds());
        out.printf("  decode     : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeDecode(), r.decodeSeconds());
        out.printf("  resample   : %8.0f x realtime (%.2f CPU s)%n", r.audioSeconds() / r.resampleSeconds(), r.resampleSeconds());
        out.printf("  from PCM   : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeFromPcm(), r.featureSeconds());
        out.flush();
      }
      err.flush();
      return r.failedFiles() > 0 || inputProblems > 0 ? 1 : 0;
    }
  }

  /** {@code rhythmsearch bench exact}: nanoseconds per vector of brute-force search. */
  @Command(name = "exact")
  static final class Exact extends Cmd {

    @Mixin Options.Workload workload = new Options.Workload(100_000, 20);

    @Option(names = "--dim", paramLabel = "D", defaultValue = "1080", description = "Dimension (default: ${DEFAULT-VALUE}, the default feature's).")
    int dim;

    @Mixin Options.Metrics metric;

    @Mixin Options.JsonOutput json;

    /** The {@code --json} document (the tempo-aligned figures are null when --dim is not the default feature's). */
    record ExactReport(int vectors, int dim, String metric, boolean simdAvailable, double nsPerVector,
        double scalarNsPerVector, double speedupOverScalar, double tempoAlignedNsPerVector, double tempoAlignedOverPlain) {}

    @Override
    public Integer call() {
      if (workload.vectors < 1 || dim < 1 || workload.queries < 1) {
        throw usage("--vectors, --dim and --queries must be >= 1");
      }
      SearchBenchmarks.ExactResult r = SearchBenchmarks.exact(workload.vectors, dim, workload.queries, metric.metric, 42);
      double simd = r.simdNsPerVector();
      return report(json.json, new ExactReport(r.vectors(), r.dim(), r.metric().id(), r.simdAvailable(), simd,
          r.scalarNsPerVector(), r.scalarNsPerVector() / simd, r.alignedNsPerVector(), r.alignedNsPerVector() / simd), out -> {
            out.printf("%d vectors x %d dims, %s, one thread:%n", r.vectors(), r.dim(), r.metric().id());
            out.printf("  %s: %.1f ns per vector%n", r.simdAvailable() ? "Vector API" : "scalar (no Vector API module)", simd);
            out.printf("  scalar     : %.1f ns per vector (%.1fx slower)%n", r.scalarNsPerVector(), r.scalarNsPerVector() / simd);
            if (!Double.isNaN(r.alignedNsPerVector())) {
              out.printf("  tempo-aligned (default): %.1f ns per vector (%.2fx plain)%n", r.alignedNsPerVector(),
                  r.alignedNsPerVector() / simd);
            }
          });
    }
  }

  /** {@code rhythmsearch bench load}: index write and load time. */
  @Command(name = "load")
  static final class Load extends Cmd {

    @Option(names = "--excerpts", paramLabel = "N", defaultValue = "100000", description = "Excerpts (default: ${DEFAULT-VALUE}).")
    int excerpts;

    @Mixin Options.Feature feature;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder for the temporary index (default: the system temp folder).")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--redis", paramLabel = "redis://HOST:PORT/PREFIX",
        description = "Also write and load the same excerpts in Redis under this (empty) prefix, beside SQLite.")
    String redis;

    @Mixin Options.JsonOutput json;

    /** SQLite, and Redis when asked, in one run. */
    record Report(SearchBenchmarks.LoadResult sqlite, SearchBenchmarks.LoadResult redis) {}

    @Override
    public Integer call() throws Exception {
      if (excerpts < 1) {
        throw usage("--excerpts must be >= 1");
      }
      if (redis != null && !Stores.isServer(redis)) {
        throw usage("--redis must be a redis:// or rediss:// address; --redis=" + redis);
      }
      SearchBenchmarks.LoadResult r = SearchBenchmarks.load(dir, feature.orDefault(), excerpts, 42);
      SearchBenchmarks.LoadResult x = redis == null ? null : SearchBenchmarks.load(redis, feature.orDefault(), excerpts,
          42);
      Object doc = x == null ? r : new Report(r, x);
      return report(json.json, doc, out -> {
        out.printf("%d excerpts (%d tracks, %d dims): written in %.2f s, loaded in %.2f s; file %.1f MB%n",
            r.excerpts(), r.tracks(), r.dim(), r.writeSeconds(), r.loadSeconds(), r.fileBytes() / 1e6);
        if (x != null) {
          out.printf("Redis %s: written in %.2f s, loaded in %.2f s (%.2f x SQLite's load time); %.1f MB of Redis "
              + "memory, %.0f bytes per excerpt (%.2f x its %d float32 values)%n", redis, x.writeSeconds(),
              x.loadSeconds(), x.loadSeconds() / r.loadSeconds(), x.fileBytes() / 1e6,
              x.fileBytes() / (double) x.excerpts(), x.fileBytes() / (double) x.excerpts() / (4.0 * x.dim()), x.dim());
        }
      });
    }
  }
}
