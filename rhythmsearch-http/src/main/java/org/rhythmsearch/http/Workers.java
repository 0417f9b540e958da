package org.rhythmsearch.http;

import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The threads that do a request's heavy work (search, decoding, drawing) under the request timeout:
 * twice as many as cores (some wait on I/O), a queue of 256, and a 503 when the queue is full or the
 * time runs out.
 *
 * <p>Thread-safe.
 */
final class Workers implements AutoCloseable {

  private final ThreadPoolExecutor pool;
  private final double timeoutSeconds;

  Workers(double timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
    int threads = 2 * Math.max(2, Runtime.getRuntime().availableProcessors());
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "rhythmsearch-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code work} on a worker with the request timeout: 503 when the workers are all busy or time runs out. */
  <T> T timed(Callable<T> work) throws Exception {
    Future<T> f;
    try {
      f = pool.submit(work);
    } catch (RejectedExecutionException e) {
      throw new ApiError(503, "the server is busy; try again");
    }
    try {
      return f.get(Math.round(timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ApiError(503, String.format(Locale.ROOT, "the request took longer than %.0f s and was stopped",
          timeoutSeconds));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
