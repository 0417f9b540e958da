package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch remove PATH... --index DB}. */
@Command(name = "remove")
final class RemoveCommand extends Cmd {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to remove.")
  List<Path> paths;

  @CommandLine.Mixin Options.ExistingIndex indexOption;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = err();
    String index = indexOption.index;
    Indexer.Removal r;
    try (VectorStore store = Stores.openExisting(index.toString())) {
      r = Indexer.remove(store, paths);
    }
    for (Path p : r.notFound()) {
      err.println("rhythmsearch: " + p + ": no such track in " + index);
    }
    info().printf("%s: removed %d track(s)%n", index, r.removed());
    info().flush();
    err.flush();
    return r.notFound().isEmpty() ? 0 : 1;
  }
}
