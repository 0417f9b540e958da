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
    subcommands = {BenchCommand.Extract.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: extract");
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
        completionCandidates = FeatureOption.Names.class, defaultValue = "beat-spectrum-detrended",
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
}
