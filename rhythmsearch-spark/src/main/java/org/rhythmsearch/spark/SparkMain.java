package org.rhythmsearch.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rhythmsearch-spark}: the catalogue-scale jobs in Spark's local mode (default {@code local[*]}),
 * each also printing the {@code spark-submit} line that runs it on a cluster.
 */
@Command(name = "rhythmsearch-spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Extract.class, SparkMain.Similar.class, SparkMain.Import.class,
    SparkMain.Copies.class},
    description = "Catalogue-scale jobs on Apache Spark (local mode here; spark-submit on a cluster).")
public final class SparkMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkMain()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing job: extract, similar, import or copies");
  }

  /** {@code --master URL}, and the session it gives. */
  static final class Master {
    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
        description = "Spark master (default: ${DEFAULT-VALUE}, every core of this machine; e.g. local[2], yarn).")
    String url;

    /** Runs {@code job} in a session named {@code app} on this master, without the web UI, stopped after it. */
    int run(String app, Job job) throws Exception {
      SparkSession spark = SparkSession.builder().appName(app).master(url).config("spark.ui.enabled", "false")
          .getOrCreate();
      try {
        return job.run(spark);
      } finally {
        spark.stop();
      }
    }
  }

  /** A job's body: its exit code. */
  @FunctionalInterface
  interface Job {
    int run(SparkSession spark) throws Exception;
  }

  /** {@code extract --files-from LIST --out DIR}. */
  @Command(name = "extract", mixinStandardHelpOptions = true,
      description = {"Extract the rhythm descriptors of every listed audio file into Parquet: DIR/excerpts (one row "
          + "per excerpt: path, hash, durationSeconds, start, feature, vector, tempo) and DIR/errors (path, hash, "
          + "reason). A re-run skips files whose content hash is already in DIR."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done (some files may be in DIR/errors)",
        "2:bad usage"})
  static final class Extract implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--files-from", required = true, paramLabel = "LIST",
        description = "A text file with one audio path per line (local, hdfs://, s3a://, …; # starts a comment).")
    String list;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop path).")
    String out;

    @CommandLine.Mixin Master master;

    @Option(names = "--feature", paramLabel = "NAME", defaultValue = FeatureConfigs.DEFAULT_NAME,
        description = "Feature (default: ${DEFAULT-VALUE}).")
    String feature;

    @Override
    public Integer call() throws Exception {
      FeatureConfig config;
      try {
        config = FeatureConfigs.byName(feature);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--feature: " + e.getMessage());
      }
      if (!list.contains("://") && !Files.isRegularFile(Path.of(list))) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--files-from: no file " + list);
      }
      PrintWriter err = spec.commandLine().getErr();
      err.printf("on a cluster: spark-submit --class %s --master yarn rhythmsearch-spark.jar extract --files-from %s "
          + "--out %s --feature %s%n", SparkMain.class.getName(), list, out, feature);
      err.flush();
      return master.run("rhythmsearch extract", spark -> {
        long t0 = System.nanoTime();
        ExtractJob.Summary s = ExtractJob.run(spark, list, out, config);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int cores = spark.sparkContext().defaultParallelism();
        String rate = s.extracted() == 0 ? "" : String.format(java.util.Locale.ROOT, " on %d cores: %.0fx realtime per "
            + "core", cores, s.audioSeconds() / seconds / cores);
        err.printf("%s: %d files: %d extracted (%d excerpts, %.2f h of audio), %d skipped (already there), %d failed "
            + "(see %s/errors); %.1f s%s (feature %s)%n", out, s.files(), s.extracted(), s.excerpts(),
            s.audioSeconds() / 3600, s.skipped(), s.errors(), out, seconds, rate, config.id());
        err.flush();
        return 0;
      });
    }
  }

  /** {@code import --in DIR --index DB}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Load the Parquet of extract (DIR/excerpts) into an index (an SQLite file or "
          + "redis://HOST:PORT[/PREFIX]) without decoding audio again; an index of another feature is refused, a "
          + "track already there with the same content is left as it is."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "2:bad usage or an index that refuses"})
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "DIR", description = "The output folder of extract.")
    String in;

    @Option(names = "--index", required = true, paramLabel = "DB",
        description = "The index: an SQLite file (created if missing) or redis://HOST:PORT[/PREFIX].")
    String index;

    @CommandLine.Mixin Master master;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      return master.run("rhythmsearch import", spark -> {
        long t0 = System.nanoTime();
        try {
          ImportJob.Summary s = ImportJob.run(spark, in, index);
          err.printf("%s: %d added, %d updated, %d unchanged; %d excerpts imported from %s in %.1f s%n", index,
              s.added(), s.updated(), s.unchanged(), s.excerpts(), in, (System.nanoTime() - t0) / 1e9);
          err.flush();
          return 0;
        } catch (StoreException e) {
          err.println("rhythmsearch-spark: " + e.getMessage());
          err.flush();
          return 2;
        }
      });
    }
  }

  /** {@code similar --in DIR --out DIR2 [-k 10]}. */
  @Command(name = "similar", mixinStandardHelpOptions = true,
      description = {"For every track of extract's Parquet (DIR/excerpts), its k most rhythmically similar tracks "
          + "(query's score: --aggregate mean, tempo-aligned as query aligns by default), through LSH buckets "
          + "instead of all pairs: "
          + "DIR2/similar (Parquet) and DIR2/similar.jsonl, one line per track, best first."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "2:bad usage"})
  static final class Similar implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "DIR", description = "The output folder of extract.")
    String in;

    @Option(names = "--out", required = true, paramLabel = "DIR2", description = "Output folder (replaced).")
    String out;

    @Option(names = {"-k", "--top"}, paramLabel = "N", defaultValue = "10",
        description = "Similar tracks kept per track (default: ${DEFAULT-VALUE}).")
    int k;

    @CommandLine.Mixin Master master;

    @Option(names = "--check-exact", description = "Also compute the exact graph on the driver (quadratic: for a "
        + "sample) and report the recall of its top k, and both times.")
    boolean checkExact;

    @Option(names = "--bits", paramLabel = "K",
        description = "LSH bits per table (default: about 16 excerpts per bucket, round(log2(excerpts / 16)); with "
            + "tempo alignment, which also hashes 10 rescaled copies of each, about 2 hashed vectors per bucket).")
    Integer bits;

    @Option(names = "--tables", paramLabel = "L", description = "LSH tables (default: 16; with --mllib: 4).")
    Integer tables;

    @Option(names = "--candidates", paramLabel = "C", description = "At most C partners scored exactly per track, "
        + "those sharing the most buckets with it (default: 10k, at least 100).")
    Integer candidates;

    @Option(names = "--mllib", description = "Find the candidate pairs with Spark MLlib's BucketedRandomProjectionLSH "
        + "(approxSimilarityJoin of the excerpts at --max-distance) instead of our LSH, for comparison.")
    boolean mllib;

    @Option(names = "--bucket-length", paramLabel = "W", defaultValue = "0.5",
        description = "MLlib's bucket length (default: ${DEFAULT-VALUE}).")
    double bucketLength;

    @Option(names = "--max-distance", paramLabel = "D", defaultValue = "0.8",
        description = "MLlib's join distance between unit excerpt vectors (default: ${DEFAULT-VALUE}, cosine 0.68).")
    double maxDistance;

    @Option(names = "--tempo-align", paramLabel = "T", defaultValue = "0.2",
        description = "Tempo alignment as query's --tempo-align: tempi within T aligned (0 = plain cosine; default: "
            + "${DEFAULT-VALUE}); with it each excerpt is also hashed rescaled to the middle of each band of "
            + SimilarJob.BAND_STEPS + " tempo steps.")
    double tempoAlign;

    @Option(names = "--tempo-margin", paramLabel = "M", defaultValue = "0.11",
        description = "As query's --tempo-margin (default: ${DEFAULT-VALUE}).")
    double tempoMargin;

    @Override
    public Integer call() throws Exception {
      if (k < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "-k must be >= 1; k=" + k);
      }
      TempoAlignment alignment;
      try {
        alignment = new TempoAlignment(tempoAlign, tempoMargin);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--tempo-align / --tempo-margin: " + e.getMessage());
      }
      PrintWriter err = spec.commandLine().getErr();
      err.printf("on a cluster: spark-submit --class %s --master yarn rhythmsearch-spark.jar similar --in %s --out %s "
          + "-k %d%n", SparkMain.class.getName(), in, out, k);
      err.flush();
      return master.run("rhythmsearch similar", spark -> {
        SimilarPlan plan = null;
        if (bits != null || tables != null || candidates != null) {
          SimilarPlan d = SimilarJob.defaultPlan(spark, in, k, alignment);
          try {
            plan = new SimilarPlan(bits != null ? bits : d.bits(), tables != null ? tables : d.tables(),
                candidates != null ? candidates : d.candidates(), 42);
          } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
          }
        }
        ShuffleMeter meter = ShuffleMeter.on(spark);
        SimilarJob.Summary s = mllib
            ? SimilarJob.runMllib(spark, in, out, k, tables != null ? tables : 4, bucketLength, maxDistance, alignment)
            : SimilarJob.run(spark, in, out, k, plan, alignment);
        long shuffled = meter.settle(spark);
        String how = mllib ? String.format(java.util.Locale.ROOT, "MLlib BucketedRandomProjectionLSH, %d tables, "
            + "bucket length %.2f, join distance %.2f", s.plan().tables(), bucketLength, maxDistance)
            : String.format(java.util.Locale.ROOT, "our LSH, %d bits x %d tables, at most %d candidates per track",
                s.plan().bits(), s.plan().tables(), s.plan().candidates());
        err.printf("%s: the %d most similar of each of %d tracks (%d excerpts; %s; %d track pairs %s, %d scored "
            + "exactly) in %.1f s; %s/similar.jsonl%n", out, k, s.tracks(), s.excerpts(), how, s.sharedPairs(),
            mllib ? "joined" : "shared a bucket", s.candidatePairs(), s.seconds(), out);

        err.printf("%.1f MB written to the shuffle%n", shuffled / 1e6);
        if (checkExact) {
          long t0 = System.nanoTime();
          var exact = GraphCheck.exactGraph(spark, in, k, alignment);
          double seconds = (System.nanoTime() - t0) / 1e9;
          var graph = GraphCheck.read(spark, out);
          err.printf("exact graph (every track against every other, on the driver, as query --track ranks): %.1f s; "
              + "recall@%d of the graph: %.3f; its top-1 is query's for %.1f %% of the tracks%n", seconds, k,
              GraphCheck.recall(graph, exact, k), 100 * GraphCheck.topOneAgreement(graph, exact));
        }
        err.flush();
        return 0;
      });
    }
  }

  /** {@code copies --in DIR --out DIR2 --copies N}. */
  @Command(name = "copies", mixinStandardHelpOptions = true,
      description = {"For measuring growth: DIR/excerpts with N synthetic copies of every track added, written to "
          + "DIR2/excerpts. Copy c of a track is PATH#copyC, its excerpts moved by noise shaped like the variation "
          + "between the track's own excerpts (another take of the same music, not a duplicate)."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "2:bad usage"})
  static final class Copies implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "DIR", description = "The output folder of extract.")
    String in;

    @Option(names = "--out", required = true, paramLabel = "DIR2", description = "Output folder (replaced).")
    String out;

    @Option(names = "--copies", required = true, paramLabel = "N", description = "Copies per track (1: twice the size).")
    int copies;

    @Option(names = "--spread", paramLabel = "S", defaultValue = "1.0",
        description = "Noise scale: 1 moves an excerpt about as far as two excerpts of its track differ (default: "
            + "${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin Master master;

    @Override
    public Integer call() throws Exception {
      if (copies < 0 || !(spread >= 0) || Double.isInfinite(spread)) {
        throw new CommandLine.ParameterException(spec.commandLine(), copies < 0 ? "--copies must be >= 0; copies="
            + copies : "--spread must be a finite number >= 0; spread=" + spread);
      }
      PrintWriter err = spec.commandLine().getErr();
      return master.run("rhythmsearch copies", spark -> {
        long t0 = System.nanoTime();
        CopiesJob.Summary s = CopiesJob.run(spark, in, out, copies, spread, seed);
        err.printf("%s: %d tracks, %d excerpts (%d copies of each track of %s, spread %.2f) in %.1f s%n", out,
            s.tracks(), s.excerpts(), copies, in, spread, (System.nanoTime() - t0) / 1e9);
        err.flush();
        return 0;
      });
    }
  }
}
