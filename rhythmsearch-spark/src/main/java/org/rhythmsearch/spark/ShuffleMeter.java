package org.rhythmsearch.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the bytes a Spark session's tasks write to the shuffle, for the jobs' reports.
 *
 * <p>Thread-safe (Spark's listener thread adds, the caller reads after {@link #settle}).
 */
public final class ShuffleMeter extends SparkListener {

  private final AtomicLong bytes = new AtomicLong();

  /** A meter listening to {@code spark} from now on. */
  public static ShuffleMeter on(SparkSession spark) {
    ShuffleMeter m = new ShuffleMeter();
    spark.sparkContext().addSparkListener(m);
    return m;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskMetrics() != null) {
      bytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
    }
  }

  /** Waits until Spark has delivered every event so far, then returns the bytes written to the shuffle. */
  public long settle(SparkSession spark) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
    return bytes.get();
  }
}
