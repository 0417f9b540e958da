package org.rhythmsearch.cli;

import java.util.List;
import org.rhythmsearch.bench.KernelBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rhythmsearch bench kernels}: JMH on the inner loops. */
@Command(name = "kernels")
final class BenchKernelsCommand extends Cmd {

  @Option(names = "--quick", description = "Fewer, shorter iterations (noisier).")
  boolean quick;

  @Mixin Options.JsonOutput json;

  @Override
  public Integer call() throws Exception {
    if (!onClasspath("org.openjdk.jmh.runner.Runner")) {
      throw usage("bench kernels runs on JMH, which the release archive leaves out: run it from a source tree built "
          + "with mvn -B package");
    }
    List<KernelBench.Kernel> r = KernelBench.run(quick);
    java.util.Map<String, KernelBench.Kernel> byName = new java.util.TreeMap<>();
    r.forEach(k -> byName.put(k.name(), k));
    // the cost of tempo alignment: exact search by the aligned score over the plain one, same rows
    java.util.Map<String, double[]> alignedOverPlain = new java.util.LinkedHashMap<>();
    for (String size : new String[] {"", "Small"}) {
      KernelBench.Kernel a = byName.get("alignedSearch" + size);
      KernelBench.Kernel p = byName.get("plainSearch" + size);
      if (a != null && p != null) {
        alignedOverPlain.put("search" + size, new double[] {a.simdMicros() / p.simdMicros(),
            a.scalarMicros() / p.scalarMicros()});
      }
    }
    return report(json.json, java.util.Map.of("kernels", r, "alignedOverPlain", alignedOverPlain), out -> {
      out.println("kernel                 Vector API      scalar   scalar/SIMD");
      for (KernelBench.Kernel k : r) {
        out.printf("%-20s %9.2f µs %9.2f µs %8.2fx%n", k.name(), k.simdMicros(), k.scalarMicros(), k.scalarOverSimd());
      }
      alignedOverPlain.forEach((name, x) -> out.printf("aligned/plain %-12s %8.2fx    %8.2fx%n",
          name.equals("search") ? "(rows)" : "(evalRows)", x[0], x[1]));
    });
  }
}
