package org.rhythmsearch.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.rhythmsearch.index.VectorMatrix;

/**
 * The HNSW baseline of {@code bench index}: Lucene (9.12 as built; 10 with {@code scripts/hnsw-lucene10.sh}) {@link KnnFloatVectorField} with dot-product
 * similarity (our vectors are unit norm) and Lucene's defaults (Lucene99 HNSW: M = 16, beam width
 * 100), built on one thread into one segment (a 1.9 GB RAM buffer, so no flush or merge rebuilds the
 * graph while the vectors fit in it: about 1 M vectors of 216 dimensions, 400 000 of the default 1080;
 * past that, the segments are merged into one, and the build time includes the merge),
 * searched on one thread with
 * {@link KnnFloatVectorQuery}. Lucene searches with a candidate list as long as the k it is asked
 * for, so the recall/QPS curve asks for k' = 10, 20, 40, … (its "ef") and keeps the best 10.
 *
 * <p>With a folder, the built index is kept there with a description of its data (size, dimension,
 * CRC-32 of the vectors) and reused by later runs on the same data; the build time reported is then
 * the one measured when it was built.
 */
public final class HnswBaseline {

  /** Largest vector dimension the baseline indexes (Lucene's own default limit is 1024). */
  static final int MAX_DIMENSIONS = 4096;

  /**
   * The vector format: Lucene's HNSW over float32 vectors, or over their int8 scalar quantisation. The
   * classes are looked up by name, newest first, so that the same bytecode runs against Lucene 9.12
   * (Lucene99 formats) and Lucene 10 (whose int8 format is Lucene104's).
   */
  public enum Format {
    FLOAT32("org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat"),
    INT8("org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat",
        "org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat");

    private final String[] classes;

    Format(String... classes) {
      this.classes = classes;
    }

    org.apache.lucene.codecs.KnnVectorsFormat lucene() {
      for (String c : classes) {
        try {
          return (org.apache.lucene.codecs.KnnVectorsFormat) Class.forName(c).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
          // an older or newer Lucene: try the next name
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot create " + c, e);
        }
      }
      throw new IllegalStateException("this Lucene has none of " + java.util.Arrays.toString(classes));
    }
  }

  /**
   * Lucene's default codec with {@code format} at its defaults (M = 16, beam 100), allowing up to
   * {@value #MAX_DIMENSIONS} dimensions instead of 1024: the same format under the same name, so the
   * files read back with Lucene's own format; only the indexing-time limit differs. Built on
   * {@link org.apache.lucene.codecs.FilterCodec} over {@code Codec.getDefault()} (not a named codec class),
   * so this class also runs against Lucene 10, whose default codec has another name
   * ({@code scripts/hnsw-lucene10.sh}).
   */
  private static org.apache.lucene.codecs.Codec wideVectors(Format f) {
    org.apache.lucene.codecs.Codec base = org.apache.lucene.codecs.Codec.getDefault();
    org.apache.lucene.codecs.KnnVectorsFormat delegate = f.lucene();
    org.apache.lucene.codecs.KnnVectorsFormat format = new org.apache.lucene.codecs.KnnVectorsFormat(delegate.getName()) {
      @Override
      public org.apache.lucene.codecs.KnnVectorsWriter fieldsWriter(org.apache.lucene.index.SegmentWriteState state)
          throws IOException {
        return delegate.fieldsWriter(state);
      }

      @Override
      public org.apache.lucene.codecs.KnnVectorsReader fieldsReader(org.apache.lucene.index.SegmentReadState state)
          throws IOException {
        return delegate.fieldsReader(state);
      }

      @Override
      public int getMaxDimensions(String fieldName) {
        return MAX_DIMENSIONS;
      }
    };
    org.apache.lucene.codecs.KnnVectorsFormat perField = new org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat() {
      @Override
      public org.apache.lucene.codecs.KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
    return new org.apache.lucene.codecs.FilterCodec(base.getName(), base) {
      @Override
      public org.apache.lucene.codecs.KnnVectorsFormat knnVectorsFormat() {
        return perField;
      }
    };
  }

  /** One operating point: Lucene's k (= ef), recall@10 and QPS. */
  public record Point(int ef, double recallAt10, double qps) {}

  /** Figures of one run. */
  public record Result(String format, double buildSeconds, boolean reused, long indexBytes, List<Point> curve) {}

  /**
   * The Lucene that ran: its version, and what it logged about its vector code when it chose it (for
   * example that it uses the Vector API with 512-bit vectors, or that this Java is too old or too new for
   * it); empty if it logged nothing.
   */
  public static String lucene() {
    return "Lucene " + org.apache.lucene.util.Version.LATEST + (VECTORIZATION.isEmpty() ? "" : ": " + String.join("; ", VECTORIZATION));
  }

  private static final List<String> VECTORIZATION = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Lucene logs its vectorization choice (and that JDK 17 is too old for its Vector API path) through java.util.logging: keep stderr for our messages. */
  private static final java.util.logging.Logger LUCENE_LOG = java.util.logging.Logger.getLogger("org.apache.lucene");

  static final int[] CURVE_EF = {10, 20, 40, 80, 160, 320, 640, 1280};

  private static final String MARKER = "rhythmsearch-hnsw.properties";

  static {
    // Lucene's messages are kept (for lucene()) but not printed
    LUCENE_LOG.setUseParentHandlers(false);
    LUCENE_LOG.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLoggerName() != null && r.getLoggerName().contains("vectorization")) {
          VECTORIZATION.add(new java.util.logging.SimpleFormatter().formatMessage(r));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  private HnswBaseline() {}

  /**
   * Builds (or, with {@code folder} holding a build of the same data and format, reopens) the HNSW
   * index in {@code format} and measures the curve.
   *
   * @param folder where to keep the index for re-runs; null builds in memory
   */
  static Result run(VectorMatrix base, VectorMatrix queries, List<Set<Integer>> truth, Path folder, Format format,
      java.io.PrintWriter err) throws IOException {
    String formatName = format.lucene().getName();
    // a graph is reused only by the Lucene major version that wrote it (Lucene 10 cannot open 9.x codecs without backward-codecs)
    String fingerprint = fingerprint(base) + ":" + formatName + ":lucene" + org.apache.lucene.util.Version.LATEST.major;
    Properties marker = new Properties();
    boolean reused = false;
    if (folder != null && Files.isRegularFile(folder.resolve(MARKER))) {
      try (Reader r = Files.newBufferedReader(folder.resolve(MARKER), StandardCharsets.UTF_8)) {
        marker.load(r);
      }
      reused = fingerprint.equals(marker.getProperty("data"));
      if (!reused) {
        err.println("HNSW: " + folder + " holds another data set; rebuilding it");
      }
    }
    try (Directory dir = folder != null ? FSDirectory.open(folder) : new ByteBuffersDirectory()) {
      double build;
      if (reused) {
        build = Double.parseDouble(marker.getProperty("buildSeconds"));
        err.printf("HNSW: reusing the graph in %s (built in %.1f s)%n", folder, build);
      } else {
        if (folder != null) {
          Files.deleteIfExists(folder.resolve(MARKER)); // a crash mid-build leaves no marker: rebuilt next time
        }
        err.printf("HNSW (%s): building %d vectors on one thread%s...%n", formatName, base.rows(),
            folder != null ? " into " + folder : "");
        err.flush();
        long t0 = System.nanoTime();
        IndexWriterConfig cfg = new IndexWriterConfig()
            .setCodec(wideVectors(format))
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(1900) // below the per-thread hard limit: one segment up to ~1.9 GB
            .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH);
        try (IndexWriter w = new IndexWriter(dir, cfg)) {
          for (int r = 0; r < base.rows(); r++) {
            Document d = new Document();
            d.add(new KnnFloatVectorField("v", base.row(r), VectorSimilarityFunction.DOT_PRODUCT));
            d.add(new StoredField("id", r));
            w.addDocument(d);
          }
          w.commit();
          // one graph, as a user would search: past ~1.9 GB of vectors the buffer flushed more than one segment
          long t1 = System.nanoTime();
          w.forceMerge(1);
          w.commit();
          double merge = (System.nanoTime() - t1) / 1e9;
          if (merge > 1) {
            err.printf("HNSW: merged into one segment in %.1f s%n", merge);
          }
        }
        build = (System.nanoTime() - t0) / 1e9;
        if (folder != null) {
          marker.setProperty("data", fingerprint);
          marker.setProperty("buildSeconds", Double.toString(build));
          try (Writer wr = Files.newBufferedWriter(folder.resolve(MARKER), StandardCharsets.UTF_8)) {
            marker.store(wr, "Lucene HNSW baseline of rhythmsearch bench index");
          }
        }
      }
      long bytes = 0;
      for (String f : dir.listAll()) {
        if (!f.equals(MARKER)) {
          bytes += dir.fileLength(f);
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        StoredFields stored = searcher.storedFields();
        int[] docToRow = new int[reader.maxDoc()];
        for (int doc = 0; doc < docToRow.length; doc++) {
          docToRow[doc] = stored.document(doc).getField("id").numericValue().intValue();
        }
        List<Point> curve = new ArrayList<>();
        err.println("HNSW curve: ef " + java.util.Arrays.toString(CURVE_EF) + "...");
        err.flush();
        for (int ef : CURVE_EF) {
          curve.add(measure(searcher, queries, truth, docToRow, ef));
        }
        return new Result(format.lucene().toString(), build, reused, bytes, curve);
      }
    }
  }

  private static Point measure(IndexSearcher searcher, VectorMatrix queries, List<Set<Integer>> truth, int[] docToRow, int ef)
      throws IOException {
    int nq = queries.rows();
    for (int q = 0; q < Math.min(nq, 50); q++) { // warm-up
      searcher.search(new KnnFloatVectorQuery("v", queries.row(q), ef), ef);
    }
    TopDocs[] results = new TopDocs[nq];
    // the better of two passes, as for LSH: the first may fault in the graph
    double best = Timing.bestSeconds(2, () -> {
      for (int q = 0; q < nq; q++) {
        try {
          results[q] = searcher.search(new KnnFloatVectorQuery("v", queries.row(q), ef), 10);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    double qps = nq / best;
    double found = 0;
    for (int q = 0; q < nq; q++) {
      for (ScoreDoc sd : results[q].scoreDocs) {
        if (truth.get(q).contains(docToRow[sd.doc])) {
          found++;
        }
      }
    }
    return new Point(ef, found / (10.0 * nq), qps);
  }

  /** Size, dimension and CRC-32 of every vector's float bits: what the stored graph was built from. */
  private static String fingerprint(VectorMatrix m) {
    CRC32 crc = new CRC32();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * m.dim());
    for (int r = 0; r < m.rows(); r++) {
      b.clear();
      b.asFloatBuffer().put(m.row(r));
      crc.update(b.array());
    }
    return m.rows() + "x" + m.dim() + ":" + Long.toHexString(crc.getValue());
  }
}
