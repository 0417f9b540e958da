package org.rhythmsearch.cli;

import java.util.List;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rhythmsearch check --index DB [--repair]}: is every stored byte as it was written? */
@Command(name = "check")
final class CheckCommand extends Cmd {

  @Mixin Options.ExistingIndex index;

  @Option(names = "--repair",
      description = "Remove the damaged tracks (and rows of no track, damaged LSH tables) so the index is whole "
          + "again; then index their files again to put them back.")
  boolean repair;

  @Mixin Options.JsonOutput json;

  /** A damaged track, as the {@code --json} document lists it. */
  record Damaged(long id, String path) {}

  /** The {@code --json} document. */
  record Report(String index, boolean ok, int tracks, long excerpts, boolean checksummed, List<String> problems,
      List<Damaged> damagedTracks, boolean lshDamaged, boolean ivfDamaged, Integer repairedTracks,
      Boolean okAfterRepair) {}

  @Override
  public Integer call() throws Exception {
    String location = index.index.toString();
    VectorStore.CheckReport r;
    Integer repaired = null;
    VectorStore.CheckReport after = null;
    try (VectorStore store = repair ? Stores.openExisting(location) : Stores.openReadOnly(location)) {
      r = store.check();
      if (repair && !r.ok()) {
        repaired = store.repair(r);
        after = store.check();
      }
    }
    List<Damaged> damaged = r.damagedTracks().stream().map(t -> new Damaged(t.id(), t.path())).toList();
    Report doc = new Report(location, r.ok(), r.tracks(), r.excerpts(), r.checksummed(), r.problems(), damaged,
        r.lshDamaged(), r.ivfDamaged(), repaired, after == null ? null : after.ok());
    final Integer removed = repaired;
    final VectorStore.CheckReport rechecked = after;
    report(json.json, doc, out -> {
      if (r.ok()) {
        out.printf("%s: ok: %d tracks, %d excerpts; %s%s%n", location, r.tracks(), r.excerpts(),
            Stores.isServer(location) ? "" : "SQLite integrity ok; ",
            r.checksummed() ? "every checksum matches" : "no checksums yet (an older index: the next index run adds them)");
        return;
      }
      out.printf("%s: %d problem(s) in %d tracks, %d excerpts:%n", location, r.problems().size(), r.tracks(),
          r.excerpts());
      for (String p : r.problems()) {
        out.println("  " + p);
      }
      if (removed != null) {
        out.printf("repaired: removed %d damaged track(s)%s; index their files again to put them back:%n", removed,
            r.lshDamaged() ? " and the LSH tables (rebuild with index --ann lsh)"
                : r.ivfDamaged() ? " and the IVF index (rebuild with index --ann ivf)" : "");
        for (TrackRecord t : r.damagedTracks()) {
          out.println("  rhythmsearch index " + Cmd.quoted(t.path()) + " --index " + Cmd.quoted(location));
        }
        out.println(rechecked.ok() ? "checked again: ok" : "checked again, still wrong: " + rechecked.problems());
      } else if (!r.damagedTracks().isEmpty() || r.lshDamaged() || r.ivfDamaged()) {
        out.println("repair: rhythmsearch check --index " + Cmd.quoted(location) + " --repair");
      }
    });
    return r.ok() || (after != null && after.ok()) ? 0 : 1;
  }
}
