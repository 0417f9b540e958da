package org.rhythmsearch.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A local Redis Cluster of three masters on free loopback ports ({@code redis-server --cluster-enabled
 * yes}, joined by {@code redis-cli --cluster create}), for the Redis store's tests; skipped like
 * {@link RedisServer} when Debian's redis-server (and its redis-cli) is missing.
 */
public final class RedisCluster implements AutoCloseable {

  private static final Path CLI = RedisServer.BINARY.resolveSibling("redis-cli");

  private final List<Process> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final Path dir;

  private RedisCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts three masters and creates the cluster; waits until it reports {@code cluster_state:ok}. */
  public static RedisCluster start() throws IOException, InterruptedException {
    if (!Files.isExecutable(RedisServer.BINARY) || !Files.isExecutable(CLI)) {
      if ("1".equals(System.getenv("RHYTHMSEARCH_REQUIRE_REDIS"))) {
        throw new AssertionError("RHYTHMSEARCH_REQUIRE_REDIS=1 but " + RedisServer.BINARY + " or " + CLI
            + " is missing (apt-get install redis-server)");
      }
      Assumptions.abort("no " + RedisServer.BINARY + ": apt-get install redis-server");
    }
    RedisCluster c = new RedisCluster(Files.createTempDirectory("rhythmsearch-cluster-"));
    try {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(System.nanoTime());
      for (int i = 0; i < 3; i++) {
        int port = freeWithBus(rnd);
        Path node = Files.createDirectories(c.dir.resolve("node" + i));
        c.ports.add(port);
        c.nodes.add(new ProcessBuilder(List.of(RedisServer.BINARY.toString(), "--port", Integer.toString(port), "--bind",
            "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", "", "--appendonly",
            "no", "--dir", node.toString())).redirectErrorStream(true).redirectOutput(node.resolve("log").toFile())
            .start());
      }
      for (int p : c.ports) {
        c.awaitAnswer(p, "PING", "PONG");
      }
      List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
      c.ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process p = new ProcessBuilder(create).redirectErrorStream(true)
          .redirectOutput(c.dir.resolve("create.log").toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed: " + Files.readString(c.dir.resolve("create.log")));
      }
      for (int port : c.ports) {
        c.awaitAnswer(port, "CLUSTER INFO", "cluster_state:ok");
      }
      return c;
    } catch (IOException | RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  /**
   * A port that is free and whose cluster bus port (port + 10000, which must stay below 65536) is free
   * too: from 20000 to 39999, outside Linux's usual ephemeral range.
   */
  private static int freeWithBus(java.util.SplittableRandom rnd) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20000 + rnd.nextInt(20000);
      try (ServerSocket a = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
          ServerSocket b = new ServerSocket(port + 10000, 1, java.net.InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port with a free cluster bus port");
  }

  private void awaitAnswer(int port, String command, String expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      List<String> cmd = new ArrayList<>(List.of(CLI.toString(), "-p", Integer.toString(port)));
      cmd.addAll(List.of(command.split(" ")));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      last = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      if (last.contains(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("node " + port + " did not answer " + expected + " to " + command + ": " + last);
  }

  /** {@code redis://127.0.0.1:PORT/PREFIX} of the first node (the client finds the others). */
  public String location(String prefix) {
    return "redis://127.0.0.1:" + ports.get(0) + "/" + prefix;
  }

  @Override
  public void close() throws IOException {
    for (Process p : nodes) {
      p.destroy();
    }
    try {
      for (Process p : nodes) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
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
