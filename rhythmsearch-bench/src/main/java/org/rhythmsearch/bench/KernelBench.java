package org.rhythmsearch.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rhythmsearch.bench.jmh.KernelBenchmarks;

/** Runs the JMH {@link KernelBenchmarks} and pairs each kernel's Vector API and scalar times. */
public final class KernelBench {

  private KernelBench() {}

  /**
   * One kernel: microseconds per call with the Vector API and with the scalar loops, and their ratio.
   *
   * @param error99 JMH's 99.9 % confidence half-width of the Vector API time, microseconds
   */
  public record Kernel(String name, double simdMicros, double scalarMicros, double scalarOverSimd, double error99) {}

  /**
   * Runs every kernel benchmark in forked JVMs (the JMH defaults of {@link KernelBenchmarks}, or with
   * {@code quick} 1 warm-up and 3 measured iterations of 0.5 s).
   */
  public static List<Kernel> run(boolean quick) throws RunnerException {
    ChainedOptionsBuilder o = new OptionsBuilder().include(KernelBenchmarks.class.getName() + "\\.").shouldFailOnError(true);
    if (java.nio.file.Files.isWritable(java.nio.file.Path.of("/dev/stderr"))) {
      o = o.output("/dev/stderr"); // JMH's progress on stderr: stdout stays for the report
    } else {
      o = o.verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT);
    }
    if (quick) {
      o = o.warmupIterations(1).warmupTime(TimeValue.milliseconds(500)).measurementIterations(3)
          .measurementTime(TimeValue.milliseconds(500));
    }
    Collection<RunResult> results = new Runner(o.build()).run();
    Map<String, double[]> byName = new TreeMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String name = label.substring(label.lastIndexOf('.') + 1);
      boolean simd = Boolean.parseBoolean(r.getParams().getParam("simd"));
      double[] t = byName.computeIfAbsent(name, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
      t[simd ? 0 : 1] = r.getPrimaryResult().getScore();
      if (simd) {
        t[2] = r.getPrimaryResult().getScoreError();
      }
    }
    List<Kernel> out = new ArrayList<>();
    byName.forEach((name, t) -> out.add(new Kernel(name, t[0], t[1], t[1] / t[0], t[2])));
    return out;
  }
}
