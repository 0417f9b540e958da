package org.rhythmsearch.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.search.Recordings;
import org.rhythmsearch.search.TrackNames;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rhythmsearch dedupe --index DB}: the recordings held by several files, grouped and kept. */
@Command(name = "dedupe")
final class DedupeCommand extends Cmd {

  @Mixin Options.ExistingIndex index;
  @Mixin Options.JsonOutput json;

  /** One recording held by several files: its files (the first is listed in answers first). */
  record Group(List<String> paths, List<String> names) {}

  /** What {@code dedupe --json} writes. */
  record Report(String index, int tracks, int recordings, int files, List<Group> groups) {}

  @Override
  public Integer call() throws Exception {
    Report report;
    try (VectorStore store = Stores.openExisting(index.index)) {
      Snapshot snap = store.snapshot();
      Recordings r = Recordings.find(snap);
      store.saveNote(Recordings.NOTE, r.toNote());
      report = report(index.index, snap, r);
    }
    return report(json.json, report, out -> {
      for (Group g : report.groups()) {
        out.println(String.join("  =  ", g.names()));
        for (String p : g.paths()) {
          out.println("    " + p);
        }
      }
      out.printf("%d recording(s) held by more than one file (%d files in all) among %d tracks; answers list each "
          + "recording once, its other files beside it%n", report.recordings(), report.files(), report.tracks());
    });
  }

  static Report report(String index, Snapshot snap, Recordings r) {
    Map<Long, TrackRecord> byId = new HashMap<>();
    snap.tracks().forEach(t -> byId.put(t.id(), t));
    TrackNames names = TrackNames.of(snap.tracks());
    List<Group> groups = new ArrayList<>();
    int files = 0;
    for (long[] g : r.groups()) {
      List<String> paths = new ArrayList<>();
      List<String> shown = new ArrayList<>();
      for (long id : g) {
        paths.add(byId.get(id).path());
        shown.add(names.name(byId.get(id).path()));
      }
      files += g.length;
      groups.add(new Group(paths, shown));
    }
    return new Report(index, snap.tracks().size(), groups.size(), files, groups);
  }
}
