package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.rhythmsearch.search.IndexContents;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch relocate OLD NEW --index DB}. */
@Command(name = "relocate")
final class RelocateCommand extends Cmd {

  @Parameters(index = "0", paramLabel = "OLD", description = "Where the tracks were: a file or folder as indexed.")
  Path from;

  @Parameters(index = "1", paramLabel = "NEW", description = "Where they are now.")
  Path to;

  @CommandLine.Mixin Options.ExistingIndex indexOption;


  @Override
  public Integer call() throws Exception {
    PrintWriter err = err();
    String index = indexOption.index;
    IndexContents.Relocation r;
    try (VectorStore store = Stores.openExisting(index)) {
      if (!store.canRelink()) {
        throw usage(index + ": this store cannot rewrite paths; re-index the new folder instead");
      }
      r = IndexContents.relocate(store, from, to);
    }
    if (verbose()) {
      for (Indexer.Relinked m : r.moved()) {
        err.println("  " + m.from() + " -> " + m.to());
      }
    }
    info().printf("%s: %d track(s) now under %s%s%n", index, r.moved().size(), to,
        r.missing() == 0 ? "" : "; " + r.missing() + " of them name no file there (check the paths; index --prune drops them)");
    info().flush();
    if (r.moved().isEmpty()) {
      err.println("rhythmsearch: no track of " + index + " is at or under " + from);
      err.flush();
      return 1;
    }
    return r.missing() == 0 ? 0 : 1;
  }
}
