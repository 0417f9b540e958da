package org.rhythmsearch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rhythmsearch.search.Playlist;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch playlist SEED --length N [--m3u FILE] --index DB}. */
@Command(name = "playlist")
final class PlaylistCommand extends Cmd {

  @Parameters(index = "0", paramLabel = "SEED", description = "The first track: its path as indexed, or its id (ls).")
  String seed;

  @Option(names = "--length", paramLabel = "N", defaultValue = "10",
      description = "How many tracks, the seed included (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--m3u", paramLabel = "FILE",
      description = "Also write the playlist to FILE as an extended M3U playlist (UTF-8), replacing it whole.")
  Path m3u;

  @Mixin Options.ExistingIndex index;
  @Mixin Options.JsonOutput json;

  /** One track as {@code --json} writes it. */
  record Entry(int position, long trackId, String track, String name, Double score, double durationSeconds) {}

  /** What {@code playlist --json} writes. */
  record Report(String index, String seed, int length, List<Entry> tracks, String m3u) {}

  @Override
  public Integer call() throws Exception {
    if (length < 1 || length > 10_000) {
      throw usage("--length must be 1 to 10000; was " + length);
    }
    List<Playlist.Step> steps;
    try (VectorStore store = Stores.openReadOnly(index.index)) {
      QueryService service = QueryService.load(store, QueryOptions.Search.AUTO);
      steps = Playlist.of(service, seed, length, QueryOptions.defaults());
    } catch (QueryException e) {
      err().println("rhythmsearch: " + e.getMessage());
      err().flush();
      return 1;
    }
    List<Entry> entries = new ArrayList<>();
    for (Playlist.Step s : steps) {
      entries.add(new Entry(entries.size() + 1, s.track().id(), s.track().path(), s.name(),
          Double.isNaN(s.score()) ? null : s.score(), s.track().durationSeconds()));
    }
    if (m3u != null) {
      writeM3u(m3u, entries);
    }
    Report report = new Report(index.index, seed, length, entries, m3u == null ? null : m3u.toString());
    int code = report(json.json, report, out -> {
      for (Entry e : entries) {
        out.printf("%3d. %s  %s%n", e.position(), e.score() == null ? "  seed" : String.format(Locale.ROOT, "%.4f",
            e.score()), e.name());
      }
    });
    if (entries.size() < length) {
      info().printf("%d track(s): every other track with vectors is already in it%n", entries.size());
    }
    if (m3u != null) {
      info().println("playlist written to " + m3u);
    }
    info().flush();
    return code;
  }

  /** Writes an extended M3U file through a temporary file beside it, so a failed write leaves the old one. */
  static void writeM3u(Path file, List<Entry> entries) throws IOException {
    StringBuilder sb = new StringBuilder("#EXTM3U\n");
    for (Entry e : entries) {
      sb.append("#EXTINF:").append(Math.round(e.durationSeconds())).append(',').append(e.name()).append('\n');
      sb.append(Path.of(e.track()).toAbsolutePath()).append('\n');
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".playlist", ".m3u.tmp");
    try {
      Files.writeString(tmp, sb, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
