package org.rhythmsearch.features;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rhythmsearch.util.Checks;

/**
 * Per-file analysis on worker threads, the results handed over in input order as they become ready:
 * how indexing, the evaluations and the benchmarks extract many files at once.
 */
public final class PerFile {

  private PerFile() {}

  /** The work on one input (may throw; the exception ends the run). */
  @FunctionalInterface
  public interface Work<T, R> {
    R apply(T input) throws Exception;
  }

  /** Receives each input's result, in input order, on the calling thread. */
  @FunctionalInterface
  public interface Sink<T, R> {
    void accept(T input, R result) throws Exception;
  }

  /**
   * Runs {@code work} on every input on {@code threads} daemon worker threads and hands each result to
   * {@code sink} in input order.
   *
   * @throws Exception what {@code work} or {@code sink} threw (the pool is shut down)
   */
  public static <T, R> void run(List<T> inputs, int threads, Work<T, R> work, Sink<T, R> sink) throws Exception {
    Checks.atLeastOne(threads, "threads");
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "rhythmsearch-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T in : inputs) {
        futures.add(pool.submit(() -> work.apply(in)));
      }
      for (int i = 0; i < inputs.size(); i++) {
        R r;
        try {
          r = futures.get(i).get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
        sink.accept(inputs.get(i), r);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
