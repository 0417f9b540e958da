package org.rhythmsearch.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.PcmAudio;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.PerFile;

/**
 * The evaluation's reading of a collection: every file's excerpts on the grid {@value
 * SeedEvaluation#FIRST_OFFSET}, {@value SeedEvaluation#FIRST_OFFSET} + {@value SeedEvaluation#GRID} … s
 * (a silent excerpt kept as null, so grid positions stay aligned) and their tempi, extracted on worker
 * threads, or read from a {@link GridCache} when one is given.
 *
 * <p>One run at a time per instance; the workers each have their own extractor.
 */
final class GridSongs {

  private final FeatureConfig config;
  private final int threads;
  private final GridCache cache;

  /** @param cache where songs are kept and reused, or null */
  GridSongs(FeatureConfig config, int threads, GridCache cache) {
    this.config = config;
    this.threads = threads;
    this.cache = cache;
  }

  /** Per file (in input order) a {@link Song}, or the one-line reason it could not be decoded. */
  Map<Path, Object> songs(List<Path> files, Consumer<Path> progress) {
    Map<Path, Object> out = new LinkedHashMap<>();
    ThreadLocal<FeatureExtractor> fx = ThreadLocal.withInitial(() -> new FeatureExtractor(config));
    try {
      PerFile.<Path, Object>run(files, threads, f -> {
        try {
          return song(f, fx.get());
        } catch (AudioDecodeException e) {
          return e.getMessage();
        }
      }, (f, song) -> {
        out.put(f, song);
        progress.accept(f);
      });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private Song song(Path file, FeatureExtractor fx) throws AudioDecodeException {
    if (cache != null) {
      Song cached = cache.get(file);
      if (cached != null) {
        return cached;
      }
    }
    Song song = extract(file, fx);
    if (cache != null) {
      cache.put(file, song);
    }
    return song;
  }

  private Song extract(Path file, FeatureExtractor fx) throws AudioDecodeException {
    PcmAudio audio = new AudioLoader(config.sampleRate()).load(file);
    List<float[]> vectors = new ArrayList<>();
    List<Double> tempi = new ArrayList<>();
    fx.grid(audio, SeedEvaluation.FIRST_OFFSET, SeedEvaluation.GRID, (start, r) -> {
      vectors.add(r.vector());
      tempi.add(r.tempoBpm());
    });
    return new Song(file.toString(), vectors, tempi, audio.durationSeconds());
  }
}
