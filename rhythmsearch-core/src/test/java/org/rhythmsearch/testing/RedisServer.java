package org.rhythmsearch.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, for the tests of the Redis
 * store: started in a private folder with an append-only file (so {@link #restart} keeps the data), stopped
 * by {@link #close}. Tests are skipped
 * when there is no redis-server, unless {@code RHYTHMSEARCH_REQUIRE_REDIS=1} (set by {@code .ci/run},
 * which installs it), where its absence fails them.
 */
public final class RedisServer implements AutoCloseable {

  /** The server binary. */
  public static final Path BINARY = Path.of(System.getProperty("rhythmsearch.redis-server", "/usr/bin/redis-server"));

  private Process process;
  private final int port;
  private final Path dir;

  private RedisServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server, or skips the calling test when there is none (see the class comment). */
  public static RedisServer start() throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      if ("1".equals(System.getenv("RHYTHMSEARCH_REQUIRE_REDIS"))) {
        throw new AssertionError("RHYTHMSEARCH_REQUIRE_REDIS=1 but there is no " + BINARY
            + " (apt-get install redis-server)");
      }
      Assumptions.abort("no " + BINARY + ": apt-get install redis-server");
    }
    Path dir = Files.createTempDirectory("rhythmsearch-redis-");
    for (int attempt = 0; ; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      RedisServer server = new RedisServer(launch(port, dir), port, dir);
      if (server.awaitPing(10_000)) {
        return server;
      }
      server.close();
      if (attempt == 2) {
        throw new IOException("redis-server did not answer on port " + port + ": " + Files.readString(
            dir.resolve("redis.log")));
      }
    }
  }

  private static Process launch(int port, Path dir) throws IOException {
    return new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "yes", "--dir", dir.toString(), "--daemonize", "no"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
        .start();
  }

  /** Stops the server (SIGTERM: it writes its append-only file) without starting it again. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Starts it again on the same port with the same data (after {@link #stop}). */
  public void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      stop();
    }
    process = launch(port, dir);
    if (!awaitPing(10_000)) {
      throw new IOException("redis-server did not come back on port " + port);
    }
  }

  private boolean awaitPing(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] reply = s.getInputStream().readNBytes(7);
        if (new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT/PREFIX}. */
  public String location(String prefix) {
    return "redis://127.0.0.1:" + port + "/" + prefix;
  }

  /** Whether the process still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
