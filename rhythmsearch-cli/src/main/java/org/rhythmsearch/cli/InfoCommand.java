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
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.AudioStream;
import org.rhythmsearch.json.Json;
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

  @Option(names = "--decode",
      description = "Decode each file whole, as index does: its real length and any damage in its stream (ended "
          + "early, decoder failed mid-way) are reported.")
  boolean decode;

  @CommandLine.Mixin Options.JsonOutput json;

  /**
   * One file in the {@code --json} document; with {@code --decode}, {@code decodedSeconds} and
   * {@code damage} (null when whole) and whether the damage is minor.
   */
  record FileInfo(String file, String format, int sampleRate, int channels, double durationSeconds,
      Double decodedSeconds, String damage, Boolean minorDamage) {}

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
        Double decoded = null;
        AudioDecoder.Damage damage = null;
        if (decode) {
          try (AudioStream in = AudioStream.open(f, AudioLoader.DEFAULT_SAMPLE_RATE, AudioStream.DEFAULT_MAX_SECONDS)) {
            float[] buf = new float[1 << 16];
            while (in.read(buf, 0, buf.length) >= 0) {
              // read to the end: the length and any damage are known there
            }
            decoded = in.samplesRead() / (double) AudioLoader.DEFAULT_SAMPLE_RATE;
            damage = in.damage();
          }
        }
        rows.add(new FileInfo(f.toString(), info.container().displayName(), info.sampleRate(), info.channels(), seconds,
            decoded, damage == null ? null : damage.reason(), damage == null ? null : damage.minor()));
        if (!json.json) {
          out.printf("%9.2f s  %-10s %6d Hz %d ch  %s%s%n", decoded != null ? decoded : seconds,
              info.container().displayName(), info.sampleRate(), info.channels(), f,
              damage == null ? "" : (damage.minor() ? "  (warning: " : "  (damaged: ") + damage.reason() + ")");
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
