package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shortest distinguishing ending of each indexed path. */
class TrackNamesTest {

  @Test
  void theSameFileNameInSeveralFoldersGetsItsFolder() {
    List<String> paths = List.of("/m/fof/muldjord/chaos_god/song.ogg", "/m/fof/sectoid/breaking_the_law/song.ogg",
        "/m/asc/music/frontiers.mp3", "/m/a/music/track1.ogg", "/m/b/music/track1.ogg", "/m/b/track2.ogg",
        "relative/x.wav");
    TrackNames n = new TrackNames(paths);
    assertThat(paths.stream().map(n::name)).containsExactly("chaos_god/song.ogg", "breaking_the_law/song.ogg",
        "frontiers.mp3", "a/music/track1.ogg", "b/music/track1.ogg", "track2.ogg", "x.wav");
    assertThat(n.name("/elsewhere/not-indexed.flac")).isEqualTo("not-indexed.flac");
  }

  @Test
  void tagsNameATrackAndTheSameTagsAreToldApartByTheirPathNames() {
    java.util.function.BiFunction<String, org.rhythmsearch.audio.Tags, org.rhythmsearch.store.TrackRecord> t =
        (path, tags) -> new org.rhythmsearch.store.TrackRecord(1, path, 1, 1, "h", 30, 3, null, tags);
    var level = new org.rhythmsearch.audio.Tags("level", "pingus", null);
    List<org.rhythmsearch.store.TrackRecord> tracks = List.of(
        t.apply("/m/pingus/pingus-3.it.flac", level), t.apply("/m/pingus/pingus-5.it.flac", level),
        t.apply("/m/pingus/goin_march.it.flac", new org.rhythmsearch.audio.Tags("Goin' march", null, "Pingus")),
        t.apply("/m/a/song.ogg", org.rhythmsearch.audio.Tags.NONE), t.apply("/m/b/song.ogg", org.rhythmsearch.audio.Tags.NONE));
    TrackNames n = TrackNames.of(tracks);
    assertThat(tracks.stream().map(r -> n.name(r.path()))).containsExactly("pingus - level (pingus-3.it.flac)",
        "pingus - level (pingus-5.it.flac)", "Goin' march", "a/song.ogg", "b/song.ogg");
  }

  @Test
  void everyNameIsAnEndingOfItsPathAndNoOtherPathEndsTheSame() {
    // property on random trees: unique, an ending of its own path, and no shorter ending would be unique
    Random rnd = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      List<String> paths = new ArrayList<>();
      java.util.Set<String> seen = new HashSet<>();
      for (int i = 0; i < 40; i++) {
        StringBuilder p = new StringBuilder();
        int depth = 1 + rnd.nextInt(4);
        for (int d = 0; d < depth; d++) {
          p.append('/').append((char) ('a' + rnd.nextInt(3)));
        }
        p.append("/song").append(rnd.nextInt(3)).append(".ogg");
        if (seen.add(p.toString())) {
          paths.add(p.toString());
        }
      }
      TrackNames n = new TrackNames(paths);
      for (String p : paths) {
        String name = n.name(p);
        assertThat(p.equals(name) || p.endsWith("/" + name)).as("%s named %s", p, name).isTrue();
        assertThat(paths.stream().filter(q -> !q.equals(p)).filter(q -> q.endsWith("/" + name) || q.equals(name)))
            .as("%s named %s", p, name).isEmpty();
        int slash = name.indexOf('/');
        if (slash > 0) { // one component fewer is shared by another path
          String shorter = name.substring(slash + 1);
          assertThat(paths.stream().filter(q -> !q.equals(p)).anyMatch(q -> q.endsWith("/" + shorter))).isTrue();
        }
      }
    }
  }
}
