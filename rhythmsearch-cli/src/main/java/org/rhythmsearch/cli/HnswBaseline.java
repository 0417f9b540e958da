package org.rhythmsearch.cli;

import java.io.IOException;
import java.util.List;
import java.util.Set;
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
import org.rhythmsearch.index.VectorMatrix;

/**
 * The HNSW baseline of {@code bench index}: Lucene 9.12 {@link KnnFloatVectorField} with dot-product
 * similarity (our vectors are unit norm) and Lucene's defaults (Lucene99 HNSW: M = 16, beam width
 * 100), built on one thread into one in-memory segment (a 1.9 GB RAM buffer, so no flush or merge
 * rebuilds the graph at up to about 1 M vectors of dimension 216), searched on one thread with
 * {@link KnnFloatVectorQuery} for k = 10.
 */
final class HnswBaseline {

  /** Figures of one run. */
  record Result(double buildSeconds, double recallAt10, double qps) {}

  /** Lucene logs its vectorization choice (and that JDK 17 is too old for its Vector API path) through java.util.logging: keep stderr for our messages. */
  private static final java.util.logging.Logger LUCENE_LOG = java.util.logging.Logger.getLogger("org.apache.lucene");

  static {
    LUCENE_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private HnswBaseline() {}

  static Result run(VectorMatrix base, VectorMatrix queries, List<Set<Integer>> truth) throws IOException {
    long t0 = System.nanoTime();
    try (Directory dir = new ByteBuffersDirectory()) {
      IndexWriterConfig cfg = new IndexWriterConfig()
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
      double build = (System.nanoTime() - t0) / 1e9;
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        StoredFields stored = searcher.storedFields();
        int nq = queries.rows();
        for (int q = 0; q < Math.min(nq, 50); q++) { // warm-up
          searcher.search(new KnnFloatVectorQuery("v", queries.row(q), 10), 10);
        }
        TopDocs[] results = new TopDocs[nq];
        long s0 = System.nanoTime();
        for (int q = 0; q < nq; q++) {
          results[q] = searcher.search(new KnnFloatVectorQuery("v", queries.row(q), 10), 10);
        }
        double qps = nq / ((System.nanoTime() - s0) / 1e9);
        double found = 0;
        for (int q = 0; q < nq; q++) {
          for (ScoreDoc sd : results[q].scoreDocs) {
            int id = stored.document(sd.doc).getField("id").numericValue().intValue();
            if (truth.get(q).contains(id)) {
              found++;
            }
          }
        }
        return new Result(build, found / (10.0 * nq), qps);
      }
    }
  }
}
