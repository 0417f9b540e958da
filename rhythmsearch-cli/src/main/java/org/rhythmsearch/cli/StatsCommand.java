package org.rhythmsearch.cli;

import org.rhythmsearch.search.IndexContents;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rhythmsearch stats --index DB}: what an index holds, in counts. */
@Command(name = "stats")
final class StatsCommand extends Cmd {

  @Mixin Options.ExistingIndex index;
  @Mixin Options.JsonOutput json;

  /** The {@code --json} document. */
  record Stats(String index, String feature, int dimension, int tracks, int tracksWithVectors, int excerpts,
      long missingFiles, int duplicateContents, long bytesOnDisk, String lsh, String ivf, long bytesStored,
      String vectors, int vectorBytes, double bytesPerExcerpt) {}

  @Override
  public Integer call() throws Exception {
    IndexContents.Listing l;
    try (VectorStore store = Stores.openReadOnly(index.index.toString())) {
      l = IndexContents.of(store);
    }
    Stats s = new Stats(l.location(), l.feature(), l.dimension(), l.tracks().size(), l.tracksWithVectors(), l.excerpts(),
        l.missingFiles(), l.duplicates().size(), l.bytesOnDisk(), l.lsh() == null ? null : l.lsh().toString(),
        l.ivf() == null ? null : l.ivf().toString(), l.bytesStored(), l.vectors().id(), l.vectorBytes(),
        l.bytesPerExcerpt());
    return report(json.json, s, out -> {
      out.printf("%s: feature %s (%d values), %d tracks (%d with vectors), %d excerpts%n", s.index(), s.feature(),
          s.dimension(), s.tracks(), s.tracksWithVectors(), s.excerpts());
      out.printf("  %.1f MB %s (%s per excerpt); approximate index: %s%n", s.bytesStored() / 1e6,
          Stores.isServer(s.index()) ? "of Redis memory" : "on disk",
          Double.isNaN(s.bytesPerExcerpt()) ? "no excerpts" : String.format("%.0f B", s.bytesPerExcerpt()),
          s.ivf() != null ? "IVF " + s.ivf() : s.lsh() != null ? "LSH " + s.lsh() : "none current");
      out.printf("  vectors held as %s: %d B each%s%n", s.vectors(), s.vectorBytes(),
          s.vectors().equals("float32") ? " (an index built now holds int8 codes, a quarter of that)" : "");
      out.printf("  %d track(s) whose file is gone (index --prune drops them); %d content(s) under several paths%n",
          s.missingFiles(), s.duplicateContents());
    });
  }
}
