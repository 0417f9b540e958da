package org.rhythmsearch.cli;

import java.nio.file.Path;
import org.rhythmsearch.bench.IndexBench;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.util.Named;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options several commands share, as picocli mixins, and the converters of their values. */
final class Options {

  private Options() {}

  /** {@code --index DB}: an existing index. */
  static final class ExistingIndex {
    @Option(names = "--index", required = true, paramLabel = "DB",
        description = "The index: an SQLite file, or redis://HOST:PORT[/PREFIX] (password in "
            + Stores.PASSWORD_ENV + "); " + IndexDefaults.HELP + ".")
    String index;
  }

  /** {@code --feature NAME}, optional. */
  static final class Feature {
    @Option(names = "--feature", paramLabel = "NAME", completionCandidates = FeatureNames.class,
        description = "Feature: ${COMPLETION-CANDIDATES} (default: " + FeatureConfigs.DEFAULT_NAME
            + "; an existing index keeps its own).")
    FeatureConfig feature;

    FeatureConfig orDefault() {
      return feature == null ? FeatureConfigs.DEFAULT : feature;
    }
  }

  /** {@code --vectors int8|float32} of an evaluation. */
  static final class HeldVectors {
    @Option(names = "--vectors", paramLabel = "int8|float32",
        description = "Judge the vectors as an index of this kind holds them: int8 (default, as index stores them) or "
            + "float32 (as computed).")
    VectorEncoding vectors = VectorEncoding.DEFAULT;
  }

  /** {@code --metric NAME}. */
  static final class Metrics {
    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "cosine",
        description = "cosine, euclidean or l1 (default: ${DEFAULT-VALUE}).")
    Metric metric = Metric.COSINE;
  }

  /** {@code --json}. */
  static final class JsonOutput {
    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;
  }

  /** The collection of an evaluation: {@code PATH...} and/or {@code --files-from LIST}, and {@code --threads}. */
  static final class Collection {
    @CommandLine.Parameters(arity = "0..*", paramLabel = "PATH",
        description = "The collection: audio files or folders, one song per file.")
    java.util.List<Path> paths = new java.util.ArrayList<>();

    @Option(names = "--files-from", paramLabel = "LIST",
        description = "A text file with one audio path per line (optionally a TAB and the file's package).")
    Path filesFrom;

    @Option(names = "--threads", paramLabel = "N", converter = PositiveInt.class,
        description = "Extraction threads (default: number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();
  }

  /** The size of a synthetic benchmark: {@code --vectors N} and {@code --queries Q}, with the command's defaults. */
  static final class Workload {
    @Option(names = "--vectors", paramLabel = "N", description = "Vectors searched (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--queries", paramLabel = "Q", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    Workload(int vectors, int queries) {
      this.vectors = vectors;
      this.queries = queries;
    }
  }

  /** The synthetic model of {@code bench aligned} and {@code bench make-index}: the index seeding it, its tracks' excerpts, its seed. */
  static final class SyntheticModel {
    @Option(names = "--index", paramLabel = "DB", required = true,
        description = "Index whose real tracks (vectors and tempi) seed the synthetic model (e.g. data/demo.db).")
    Path db;

    @Option(names = "--excerpts", paramLabel = "E", defaultValue = "20", converter = PositiveInt.class,
        description = "Excerpts per synthetic track (default: ${DEFAULT-VALUE}).")
    int excerpts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the model (bench aligned: and of its approximate index).")
    long seed;
  }

  /** {@code -k/--top N}. */
  static final class Top {
    @Option(names = {"-k", "--top"}, paramLabel = "N", defaultValue = "10", converter = PositiveInt.class,
        description = "Number of tracks (default: ${DEFAULT-VALUE}).")
    int k = 10;
  }

  /** The feature names, for the help text. */
  static final class FeatureNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return FeatureConfigs.names().iterator();
    }
  }

  /** Registers the converters of the library's value types: an unknown name is a usage error naming the known ones. */
  static void registerConverters(CommandLine cl) {
    cl.registerConverter(Metric.class, value -> parse(value, v -> Named.byId(Metric.class, v, "metric")));
    cl.registerConverter(Aggregation.class, value -> parse(value, v -> Named.byId(Aggregation.class, v, "aggregation")));
    cl.registerConverter(IndexBench.Source.class, value -> parse(value, v -> Named.byId(IndexBench.Source.class, v, "source")));
    cl.registerConverter(IndexBench.Model.class, value -> parse(value, v -> Named.byId(IndexBench.Model.class, v, "model")));
    cl.registerConverter(FeatureConfig.class, value -> parse(value, FeatureConfigs::byName));
    cl.registerConverter(VectorEncoding.class,
        value -> parse(value, v -> Named.byId(VectorEncoding.class, v, "vector encoding")));
    cl.registerConverter(QueryOptions.Search.class,
        value -> parse(value, v -> Named.byId(QueryOptions.Search.class, v, "search")));
  }

  private static <T> T parse(String value, java.util.function.Function<String, T> byName) {
    try {
      return byName.apply(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** An integer {@code >= 1}. */
  static final class PositiveInt implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 1) {
        throw new CommandLine.TypeConversionException("must be >= 1, was " + n);
      }
      return n;
    }
  }

  /** A finite number of seconds {@code > 0}. */
  static final class PositiveSeconds implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double x;
      try {
        x = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds");
      }
      if (!(x > 0) || Double.isInfinite(x)) {
        throw new CommandLine.TypeConversionException("must be a finite number of seconds > 0, was " + value);
      }
      return x;
    }
  }
}
