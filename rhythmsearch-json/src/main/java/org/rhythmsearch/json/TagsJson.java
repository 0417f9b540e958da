package org.rhythmsearch.json;

import org.rhythmsearch.audio.Tags;

/**
 * A track's tags in JSON: {@code {"title": ..., "artist": ..., "album": ...}}, each left out when
 * unknown; the whole object left out ({@link #of} gives null) when the file had none.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record TagsJson(String title, String artist, String album) {

  /** {@code tags} as JSON, or null when there are none. */
  public static TagsJson of(Tags tags) {
    return tags.isEmpty() ? null : new TagsJson(tags.title(), tags.artist(), tags.album());
  }
}
