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
 * The HNSW baseline of {@code bench index}: Lucene 9.12 {@link KnnFloatVectorField} with dot-product
 * similarity (our vectors are unit norm) and Lucene's defaults (Lucene99 HNSW: M = 16, beam width
 * 100), built on one thread into one segment (a 1.9 GB RAM buffer, so no flush or merge rebuilds the
 * graph while the vectors fit in it: about 1 M vectors of 216 dimensions, 400 000 of the default 1080),
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

  /** The vector format: Lucene99 HNSW over float32 vectors, or over their int8 scalar quantisation. */
  public enum Format {
    FLOAT32("Lucene99HnswVectorsFormat"), INT8("Lucene99HnswScalarQuantizedVectorsFormat");

    final String luceneName;

    Format(String luceneName) {
      this.luceneName = luceneName;
    }

    org.apache.lucene.codecs.KnnVectorsFormat lucene() {
      return this == FLOAT32 ? new org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat()
          : new org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat();
    }
  }

  /**
   * Lucene's default codec with {@code format} at its defaults (M = 16, beam 100), allowing up to
   * {@value #MAX_DIMENSIONS} dimensions instead of 1024: the same format under the same name, so the
   * files read back with Lucene's own format; only the indexing-time limit differs.
   */
  private static org.apache.lucene.codecs.Codec wideVectors(Format f) {
    return new org.apache.lucene.codecs.lucene912.Lucene912Codec() {
      private final org.apache.lucene.codecs.KnnVectorsFormat format = new org.apache.lucene.codecs.KnnVectorsFormat(
          f.luceneName) {
        private final org.apache.lucene.codecs.KnnVectorsFormat delegate = f.lucene();

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

      @Override
      public org.apache.lucene.codecs.KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  /** One operating point: Lucene's k (= ef), recall@10 and QPS. */
  public record Point(int ef, double recallAt10, double qps) {}

  /** Figures of one run. */
  public record Result(double buildSeconds, boolean reused, long indexBytes, List<Point> curve) {}

  /** Lucene logs its vectorization choice (and that JDK 17 is too old for its Vector API path) through java.util.logging: keep stderr for our messages. */
  private static final java.util.logging.Logger LUCENE_LOG = java.util.logging.Logger.getLogger("org.apache.lucene");

  static final int[] CURVE_EF = {10, 20, 40, 80, 160, 320, 640, 1280};

  private static final String MARKER = "rhythmsearch-hnsw.properties";

  static {
    LUCENE_LOG.setLevel(java.util.logging.Level.SEVERE);
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
    String fingerprint = fingerprint(base) + ":" + format.luceneName;
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
        err.printf("HNSW (%s): building %d vectors on one thread%s...%n", format.luceneName, base.rows(),
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
        return new Result(build, reused, bytes, curve);
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
