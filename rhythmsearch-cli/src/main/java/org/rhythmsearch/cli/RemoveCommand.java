package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.store.TrackRecord;
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
    Path index = indexOption.index;
    int missing = 0;
    try (VectorStore store = Stores.openExisting(index.toString())) {
      List<TrackRecord> tracks = store.tracks();
      List<String> doomed = new ArrayList<>();
      for (Path p : paths) {
        String key = Indexer.key(p);
        int before = doomed.size();
        for (TrackRecord t : tracks) {
          if (t.path().equals(key) || t.path().startsWith(key + java.io.File.separator)) {
            doomed.add(t.path());
          }
        }
        if (doomed.size() == before) {
          err.println("rhythmsearch: " + p + ": no such track in " + index);
          missing++;
        }
      }
      int removed = store.remove(doomed);
      err.printf("%s: removed %d track(s)%n", index, removed);
    }
    err.flush();
    return missing > 0 ? 1 : 0;
  }
}
