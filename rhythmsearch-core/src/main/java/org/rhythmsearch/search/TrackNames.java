package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.store.TrackRecord;

/**
 * The names people recognise for indexed tracks: each path's shortest ending (whole folder names and the
 * file name) that no other path of the collection shares, e.g. {@code chaos_god/song.ogg} where eight
 * Frets on Fire songs are all {@code song.ogg}. A file name that is unique stays alone; a path that is
 * itself the ending of another ({@code /c/song.ogg} beside {@code /b/c/song.ogg}) is named in full.
 *
 * <p>{@link #of} prefers what a track's tags say ("Artist - Title"), followed by its path name in
 * parentheses where two tracks' tags say the same.
 *
 * <p>Immutable; thread-safe.
 */
public final class TrackNames {

  private final Map<String, String> byPath = new HashMap<>();

  /** The names of {@code paths} (absolute or relative, '/' or the platform's separator). */
  public TrackNames(List<String> paths) {
    // two paths with the same ending of d components also share their ending of d - 1: so only the
    // paths still ambiguous at one depth can collide at the next, and each depth counts those only
    List<Integer> open = new ArrayList<>();
    List<String[]> parts = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      parts.add(paths.get(i).replace('\\', '/').split("/+"));
      open.add(i);
    }
    for (int depth = 1; !open.isEmpty(); depth++) {
      Map<String, Integer> count = new HashMap<>();
      for (int i : open) {
        count.merge(ending(parts.get(i), depth), 1, Integer::sum);
      }
      List<Integer> still = new ArrayList<>();
      for (int i : open) {
        String e = ending(parts.get(i), depth);
        if (count.get(e) == 1) {
          byPath.put(paths.get(i), e);
        } else if (depth >= components(parts.get(i))) { // its whole path ends others too: only the whole path tells
          byPath.put(paths.get(i), paths.get(i));
        } else {
          still.add(i);
        }
      }
      open = still;
    }
  }

  /**
   * The names of {@code tracks}: "Artist - Title" (or the title alone) where a track's tags give a title,
   * with the path name in parentheses when another track's tags give the same; else the path name.
   */
  public static TrackNames of(List<TrackRecord> tracks) {
    TrackNames names = new TrackNames(tracks.stream().map(TrackRecord::path).toList());
    Map<String, Integer> count = new HashMap<>();
    for (TrackRecord t : tracks) {
      String d = t.tags().display();
      if (d != null) {
        count.merge(d, 1, Integer::sum);
      }
    }
    for (TrackRecord t : tracks) {
      String d = t.tags().display();
      if (d != null) {
        names.byPath.put(t.path(), count.get(d) == 1 ? d : d + " (" + names.name(t.path()) + ")");
      }
    }
    return names;
  }

  private static int components(String[] parts) {
    int n = 0;
    for (String p : parts) {
      n += p.isEmpty() ? 0 : 1;
    }
    return n;
  }

  private static String ending(String[] parts, int depth) {
    int from = Math.max(0, parts.length - depth);
    StringBuilder sb = new StringBuilder();
    for (int k = from; k < parts.length; k++) {
      if (parts[k].isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(parts[k]);
    }
    return sb.toString();
  }

  /** The name of {@code path}, or its file name when it was not among the paths given. */
  public String name(String path) {
    String n = byPath.get(path);
    if (n != null) {
      return n;
    }
    String[] parts = path.replace('\\', '/').split("/+");
    return parts.length == 0 ? path : parts[parts.length - 1];
  }
}
