package org.rhythmsearch.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.features.Vectors;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * Seeded synthetic tracks of lag-indexed vectors with tempi, for tests of tempo-aligned search without
 * decoding audio: each "groove" is a vector of peaks at multiples of its beat period in every lag block
 * (as onset autocorrelations have), at a tempo; a track plays a groove at some tempo factor φ: its
 * excerpts are the groove rescaled by 1/φ ({@link PostProcessing#tempoScaled}) plus a little noise, at
 * tempo φ · the groove's.
 *
 * <p>Not thread-safe (one random stream).
 */
public final class Grooves {

  private final FeatureConfig config;
  private final SplittableRandom rnd;
  private final List<float[]> grooves = new ArrayList<>();
  private final List<Double> tempi = new ArrayList<>();

  /** {@code count} grooves with tempi uniform in 70–160 BPM. */
  public Grooves(FeatureConfig config, int count, long seed) {
    this.config = config;
    this.rnd = new SplittableRandom(seed);
    double framesPerSecond = config.sampleRate() / (double) config.hop();
    for (int g = 0; g < count; g++) {
      double bpm = 70 + 90 * rnd.nextDouble();
      double period = 60 / bpm * framesPerSecond; // lags per beat
      float[] v = new float[config.dimension()];
      int o = 0;
      for (int[] block : config.lagBlocks()) {
        double weight = 0.3 + rnd.nextDouble();
        double sub = rnd.nextDouble(); // how strong the off-beats are
        for (int i = 0; i < block[1]; i++) {
          double lag = block[0] + i;
          double beats = lag / period;
          double onBeat = Math.exp(-Math.pow(beats - Math.rint(beats), 2) * 60);
          double half = Math.exp(-Math.pow(beats - 0.5 - Math.floor(beats), 2) * 60);
          v[o + i] = (float) (weight * (onBeat + sub * half) + 0.05 * rnd.nextGaussian());
        }
        o += block[1];
      }
      Vectors.normalizeInPlace(v, 0, v.length);
      grooves.add(v);
      tempi.add(bpm);
    }
  }

  /** Number of grooves. */
  public int size() {
    return grooves.size();
  }

  /** The tempo of groove {@code g}, BPM. */
  public double tempo(int g) {
    return tempi.get(g);
  }

  /** One excerpt of groove {@code g} played φ times as fast, with noise of relative size {@code noise}. */
  public float[] excerpt(int g, double phi, double noise) {
    float[] v = phi == 1 ? grooves.get(g).clone() : PostProcessing.tempoScaled(config, grooves.get(g), 1 / phi);
    for (int j = 0; j < v.length; j++) {
      v[j] += (float) (noise * rnd.nextGaussian() / Math.sqrt(v.length));
    }
    Vectors.normalizeInPlace(v, 0, v.length);
    return v;
  }

  /**
   * A snapshot of {@code tracks} tracks of {@code excerpts} excerpts each: track t plays groove {@code t
   * % size()} at a factor φ drawn log-uniformly in [1/1.25, 1.25] (track 0 … size() − 1 at φ = 1).
   */
  public Snapshot snapshot(int tracks, int excerpts, double noise) {
    int dim = config.dimension();
    float[] data = new float[tracks * excerpts * dim];
    int[] rowTrack = new int[tracks * excerpts];
    float[] start = new float[rowTrack.length];
    float[] tempo = new float[rowTrack.length];
    List<TrackRecord> records = new ArrayList<>();
    for (int t = 0; t < tracks; t++) {
      int g = t % size();
      double phi = t < size() ? 1 : Math.exp((2 * rnd.nextDouble() - 1) * Math.log(1.25));
      records.add(new TrackRecord(t + 1, "/grooves/" + g + "/" + t + ".wav", 0, 0, "hash" + t, 10.0 * excerpts,
          excerpts, null));
      for (int e = 0; e < excerpts; e++) {
        int r = t * excerpts + e;
        System.arraycopy(excerpt(g, phi, noise), 0, data, r * dim, dim);
        rowTrack[r] = t;
        start[r] = 10 * e;
        tempo[r] = (float) (tempo(g) * phi * (1 + 0.005 * rnd.nextGaussian()));
      }
    }
    return new Snapshot(config, records, new VectorMatrix(data, dim), rowTrack, start, tempo);
  }
}
