package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioDecoder;
import org.rhythmsearch.audio.AudioInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch info PATH...}: container, rate, channels and duration of audio files. */
@Command(name = "info")
final class InfoCommand extends Cmd {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
  List<Path> paths;

  @Option(names = "--min-seconds", paramLabel = "S", defaultValue = "0",
      description = "Only list files at least this long (default: ${DEFAULT-VALUE}).")
  double minSeconds;

  @CommandLine.Mixin Options.JsonOutput json;

  /** One file in the {@code --json} document. */
  record FileInfo(String file, String format, int sampleRate, int channels, double durationSeconds) {}

  /** The {@code --json} document. */
  record Report(List<FileInfo> files) {}

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    List<Path> files = audioFiles(paths);
    int failed = 0;
    List<FileInfo> rows = new ArrayList<>();
    for (Path f : files) {
      try {
        AudioInfo info = AudioDecoder.probe(f);
        double seconds = AudioDecoder.durationSeconds(f, info);
        if (seconds < minSeconds) {
          continue;
        }
        rows.add(new FileInfo(f.toString(), info.container().displayName(), info.sampleRate(), info.channels(), seconds));
        if (!json.json) {
          out.printf("%9.2f s  %-10s %6d Hz %d ch  %s%n", seconds, info.container().displayName(), info.sampleRate(),
              info.channels(), f);
        }
      } catch (AudioDecodeException e) {
        err.println("rhythmsearch: " + e.getMessage());
        failed++;
      }
    }
    if (json.json) {
      Json.write(out, new Report(rows));
    }
    out.flush();
    err.flush();
    return failed > 0 || inputProblems > 0 ? 1 : 0;
  }
}
