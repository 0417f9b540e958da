package org.rhythmsearch.store;

import java.util.List;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.VectorMatrix;

/**
 * Everything in an index, loaded for searching: the tracks, and all excerpt vectors in one
 * contiguous matrix with, per row, the track it belongs to and its start time.
 *
 * <p>Immutable by contract (arrays are not copied); thread-safe for reading.
 *
 * @param config the feature configuration the vectors were made with
 * @param tracks every track, in id order
 * @param vectors one row per excerpt
 * @param excerptTrack per row: index into {@code tracks}
 * @param excerptStart per row: start of the excerpt in its track, seconds
 */
public record Snapshot(
    FeatureConfig config,
    List<TrackRecord> tracks,
    VectorMatrix vectors,
    int[] excerptTrack,
    float[] excerptStart) {}
