package org.rhythmsearch.cli;

import org.rhythmsearch.search.IndexContents;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rhythmsearch ls --index DB}: every indexed track. */
@Command(name = "ls")
final class LsCommand extends Cmd {

  @Mixin Options.ExistingIndex index;
  @Mixin Options.JsonOutput json;

  @Override
  public Integer call() throws Exception {
    IndexContents.Listing l;
    try (VectorStore store = Stores.openReadOnly(index.index.toString())) {
      l = IndexContents.of(store, false); // no vector read: a listing needs none
    }
    return report(json.json, l, out -> {
      for (IndexContents.Track t : l.tracks()) {
        out.printf("%6d %9.1f s %4d excerpts %8s  %s%s%s%s%n", t.id(), t.durationSeconds(), t.excerpts(),
            Double.isNaN(t.tempoBpm()) ? "-" : String.format("%.0f BPM", t.tempoBpm()), t.path(),
            t.tags().display() == null ? "" : "  \"" + t.tags().display() + "\"",
            t.problem() == null ? "" : "  (" + t.problem() + ")", t.fileExists() ? "" : "  [file gone]");
      }
      for (java.util.List<String> same : l.duplicates()) {
        out.println("same content: " + String.join(" = ", same));
      }
    });
  }
}
