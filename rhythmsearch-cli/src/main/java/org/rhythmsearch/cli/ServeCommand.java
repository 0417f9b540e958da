package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import org.rhythmsearch.http.RhythmServer;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.store.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rhythmsearch serve --index DB}: the HTTP API and web page over one index, until stopped. */
@Command(name = "serve",
    description = {"Serve an index over HTTP until stopped (Ctrl-C): a web page at / and a JSON API under /api "
        + "(health, tracks, query by upload or by track id, excerpts as WAV, plots; see docs/API.md).",
      "The index is reloaded when `index` or `remove` changes it; queries never see a half-written state."},
    exitCodeList = {"0:stopped", "1:could not listen (e.g. port in use)", "2:bad usage or unreadable index"})
final class ServeCommand extends Cmd {

  @Mixin Options.ExistingIndex index;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). The service has no "
          + "authentication: anyone who reaches it can query the index and listen to its files.")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--upload-limit", paramLabel = "MB", defaultValue = "100",
      description = "Largest query upload accepted, megabytes; larger gets 413 (default: ${DEFAULT-VALUE}).")
  int uploadLimitMb;

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "60",
      description = "Longest a query, plot or excerpt may take, seconds; then 503 (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Option(names = "--watch", paramLabel = "S", defaultValue = "2",
      description = "How often to check the index file for changes, seconds; 0 = only on POST /api/reload "
          + "(default: ${DEFAULT-VALUE}).")
  double watch;

  @Option(names = "--score-sample", paramLabel = "N", defaultValue = "" + ScoreScale.DEFAULT_QUERIES,
      description = "Tracks queried in the background to put scores in words (\"closer than 97 %% of the track "
          + "pairs here\"); 0 = none (default: ${DEFAULT-VALUE}).")
  int scoreSample;

  @Override
  public Integer call() throws Exception {
    if (!Stores.isServer(index.index)
        && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(index.index))) {
      throw usage("--index: no index file at " + index.index);
    }
    if (port < 0 || port > 65535) {
      throw usage("--port must be in 0..65535; --port=" + port);
    }
    if (uploadLimitMb < 1 || !(timeout > 0) || !(watch >= 0) || scoreSample < 0) {
      throw usage("--upload-limit >= 1, --timeout > 0, --watch >= 0 and --score-sample >= 0 are required");
    }
    PrintWriter err = err();
    RhythmServer.Settings settings = new RhythmServer.Settings(host, port, (long) uploadLimitMb << 20, timeout, watch,
        scoreSample);
    RhythmServer server = RhythmServer.start(index.index.toString(), settings, line -> {
      synchronized (err) {
        err.println("rhythmsearch serve: " + line);
        err.flush();
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "rhythmsearch-serve-stop"));
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      err.println("rhythmsearch serve: warning: listening on " + host + ", not only on this machine; the service has "
          + "no authentication");
    }
    err.println("rhythmsearch serve: " + server.describe());
    err.println("rhythmsearch serve: open " + server.url() + "/ (Ctrl-C stops)");
    err.flush();
    stopped.await();
    return 0;
  }
}
