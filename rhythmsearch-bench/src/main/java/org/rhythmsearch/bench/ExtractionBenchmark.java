package org.rhythmsearch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioDecoder;
import org.rhythmsearch.audio.PcmAudio;
import org.rhythmsearch.audio.Resampler;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureExtractor;

/**
 * Measures feature-extraction speed on one thread as multiples of real time: end to end (decode +
 * resample + features) and from PCM (features from 22050-Hz mono PCM already in memory). CPU time of
 * the measuring thread is used, so the figures are per core. Excerpts do not overlap (hop = excerpt
 * length), so every second of audio is analysed once.
 *
 * <p>Not thread-safe; run one at a time.
 */
public final class ExtractionBenchmark {

  /** Result of a run; seconds are CPU seconds of the measuring thread. */
  public record Result(
      int files,
      int failedFiles,
      double audioSeconds,
      double decodeSeconds,
      double resampleSeconds,
      double featureSeconds,
      int excerpts,
      List<String> failures) {

    /** Total CPU seconds end to end. */
    public double cpuSeconds() {
      return decodeSeconds + resampleSeconds + featureSeconds;
    }

    /** Audio seconds per CPU second, end to end. */
    public double xRealtime() {
      return audioSeconds / cpuSeconds();
    }

    /** Audio seconds per CPU second for the features alone, from 22050-Hz PCM. */
    public double xRealtimeFromPcm() {
      return audioSeconds / featureSeconds;
    }

    /** Audio seconds per CPU second for decoding alone. */
    public double xRealtimeDecode() {
      return audioSeconds / decodeSeconds;
    }
  }

  private final FeatureConfig config;
  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

  public ExtractionBenchmark(FeatureConfig config) {
    this.config = config;
  }

  /**
   * Runs over {@code files}: first a warm-up pass over up to {@code warmupFiles} files (not counted),
   * then {@code rounds} measured passes over all; reports the fastest pass.
   */
  public Result run(List<Path> files, int warmupFiles, int rounds, Consumer<String> progress) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no audio files to benchmark");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1; rounds=" + rounds);
    }
    FeatureExtractor fx = new FeatureExtractor(config);
    for (int i = 0; i < Math.min(warmupFiles, files.size()); i++) {
      pass(List.of(files.get(i)), fx, s -> { });
    }
    Result best = null;
    for (int r = 0; r < rounds; r++) {
      int round = r + 1;
      Result res = pass(files, fx, s -> progress.accept("round " + round + "/" + rounds + ": " + s));
      if (best == null || res.cpuSeconds() < best.cpuSeconds()) {
        best = res;
      }
    }
    return best;
  }

  private Result pass(List<Path> files, FeatureExtractor fx, Consumer<String> progress) {
    double audio = 0;
    long decode = 0;
    long resample = 0;
    long features = 0;
    int excerpts = 0;
    List<String> failures = new ArrayList<>();
    int done = 0;
    for (Path f : files) {
      try {
        long t0 = mx.getCurrentThreadCpuTime();
        PcmAudio decoded = AudioDecoder.decode(f);
        long t1 = mx.getCurrentThreadCpuTime();
        PcmAudio pcm = Resampler.create(decoded.sampleRate(), config.sampleRate()).resample(decoded);
        long t2 = mx.getCurrentThreadCpuTime();
        excerpts += fx.track(f.toString(), pcm, config.excerptSeconds()).excerpts().size();
        long t3 = mx.getCurrentThreadCpuTime();
        decode += t1 - t0;
        resample += t2 - t1;
        features += t3 - t2;
        audio += pcm.durationSeconds();
      } catch (AudioDecodeException e) {
        failures.add(e.getMessage());
      }
      progress.accept(++done + "/" + files.size() + " " + f.getFileName());
    }
    return new Result(files.size() - failures.size(), failures.size(), audio, decode / 1e9, resample / 1e9,
        features / 1e9, excerpts, failures);
  }
}
