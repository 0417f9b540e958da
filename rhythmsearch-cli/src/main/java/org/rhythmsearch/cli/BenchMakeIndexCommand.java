package org.rhythmsearch.cli;

import org.rhythmsearch.bench.SyntheticIndex;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.VectorEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rhythmsearch bench make-index}: a large synthetic index to serve and query ({@link SyntheticIndex}),
 * written in batches with its approximate index.
 */
@Command(name = "make-index")
final class BenchMakeIndexCommand extends Cmd {

  @Mixin Options.SyntheticModel model;

  @Option(names = "--out", paramLabel = "DB|redis://…", required = true,
      description = "The new index (a file or a redis:// address holding no tracks yet).")
  String out;

  @Option(names = "--vectors", paramLabel = "N", defaultValue = "1000000",
      converter = Options.PositiveInt.class, description = "Excerpts to write (default: ${DEFAULT-VALUE}).")
  int vectors;

  @Option(names = "--ann", paramLabel = "ivf|lsh|none", defaultValue = "ivf",
      description = "The approximate index built after, measured as index --ann builds it (default: ${DEFAULT-VALUE}).")
  String ann;

  @Option(names = "--encoding", paramLabel = "int8|float32",
      description = "How the new index holds its vectors (default: int8, as index makes it).")
  VectorEncoding encoding;

  @Mixin Options.JsonOutput json;

  @Override
  public Integer call() throws Exception {
    ApproximateIndex.Kind kind = switch (ann) {
      case "ivf" -> ApproximateIndex.Kind.IVF;
      case "lsh" -> ApproximateIndex.Kind.LSH;
      case "none" -> null;
      default -> throw usage("--ann " + ann + ": use ivf, lsh or none");
    };
    SyntheticIndex.Summary s;
    try {
      s = SyntheticIndex.write(new SyntheticIndex.Config(model.db.toString(), out, vectors, model.excerpts, kind,
          encoding, model.seed),
          info());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return report(json.json, s, o -> {
      o.printf("%s: %d synthetic tracks, %d excerpts (%s) written in %.1f s; %.1f MB stored (%.0f B per excerpt)%n",
          s.out(), s.tracks(), s.excerpts(), s.vectors(), s.writeSeconds(), s.bytesStored() / 1e6,
          (double) s.bytesStored() / Math.max(1, s.excerpts()));
      o.printf("  approximate index: %s (%.1f s)%n", s.ann(), s.annSeconds());
    });
  }
}
