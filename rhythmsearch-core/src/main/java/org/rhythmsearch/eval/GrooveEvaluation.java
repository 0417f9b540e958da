package org.rhythmsearch.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.eval.GrooveSynth.Ensemble;
import org.rhythmsearch.eval.GrooveSynth.Family;
import org.rhythmsearch.eval.GrooveSynth.Meter;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.HubReduction;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.util.Checks;

/**
 * Meter and style, not only tempo: does a descriptor tell a waltz from a foxtrot at the same tempo?
 * Every groove family of {@link GrooveSynth} is played by every ensemble at every tempo of {@link
 * #TEMPI}, in {@code takes} takes (other human timing, dynamics and tuning); one 10-s excerpt of each
 * clip is scored against all others by a {@link Similarity} (optionally with {@link HubReduction}).
 * Reported, per family and over all clips: how often the nearest other clip is of the same family and
 * of the same meter, (a) among all clips and (b) among the clips of the other ensembles only (the same
 * groove by another band must be nearer than another groove by the same band); and how many waltzes'
 * nearest clip is a 4/4 groove at the same tempo, or the other way round.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class GrooveEvaluation {

  /** Tempi every groove is played at, BPM (for 6/8 the dotted-quarter beat). */
  public static final double[] TEMPI = {84, 100, 116, 132};

  /** Clip length, seconds: one excerpt from 1 s in. */
  static final double CLIP_SECONDS = 11.5;

  /** One family's figures: shares of its clips whose nearest other clip has the same family / meter. */
  public record FamilyResult(Family family, Meter meter, int clips, double nearestSameFamily, double nearestSameMeter,
      double otherEnsembleSameFamily, double otherEnsembleSameMeter) {}

  /**
   * A run's figures: per family, the same over all clips, and the waltz ↔ 4/4 confusions at equal tempo
   * (clips whose nearest other clip is of the other meter at the same tempo), and among the other
   * ensembles' clips, how many of family f's clips have their nearest in family g ({@code
   * otherEnsembleConfusions[f][g]}, in {@link Family} order).
   */
  public record Result(List<FamilyResult> families, int clips, double nearestSameFamily, double nearestSameMeter,
      double otherEnsembleSameFamily, double otherEnsembleSameMeter, int waltzFourFourConfusions,
      int[][] otherEnsembleConfusions) {}

  /** One generated clip: what it is and its excerpt's vector and tempo. */
  record Clip(Family family, Ensemble ensemble, double bpm, int take, float[] vector, double tempo) {}

  private final FeatureConfig config;
  private final Similarity similarity;
  private final int hubK;
  private final int takes;

  /**
   * @param similarity how excerpts are scored (its configuration extracts them)
   * @param hubK hub reduction's K (0: off)
   * @param takes takes of every family × ensemble × tempo, {@code >= 1}
   */
  public GrooveEvaluation(Similarity similarity, int hubK, int takes) {
    this.config = similarity.config();
    this.similarity = similarity;
    this.hubK = hubK;
    this.takes = Checks.atLeastOne(takes, "takes");
  }

  /** Generates every clip, extracts its excerpt and scores each against all the others. */
  public Result run() {
    return evaluate(clips());
  }

  List<Clip> clips() {
    FeatureExtractor fx = new FeatureExtractor(config);
    List<Clip> out = new ArrayList<>();
    for (Family f : Family.values()) {
      for (Ensemble e : Ensemble.values()) {
        for (double bpm : TEMPI) {
          for (int take = 0; take < takes; take++) {
            long seed = ((f.ordinal() * 31L + e.ordinal()) * 1009 + (long) bpm) * 17 + take;
            float[] samples = GrooveSynth.render(f, e, bpm, CLIP_SECONDS, seed).samples();
            float[] window = java.util.Arrays.copyOfRange(samples, GrooveSynth.SAMPLE_RATE,
                GrooveSynth.SAMPLE_RATE + config.excerptSamples());
            FeatureExtractor.Result r = fx.excerpt(window);
            if (r.vector() == null) {
              throw new IllegalStateException(f + " " + e + " " + bpm + " BPM: " + r.skipReason());
            }
            out.add(new Clip(f, e, bpm, take, r.vector(), r.tempoBpm()));
          }
        }
      }
    }
    return out;
  }

  /** Scores every clip against all the others and counts. */
  Result evaluate(List<Clip> clips) {
    int n = clips.size();
    int dim = config.dimension();
    float[] data = new float[n * dim];
    float[] tempo = new float[n];
    int[] track = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(clips.get(i).vector(), 0, data, i * dim, dim);
      tempo[i] = (float) clips.get(i).tempo();
      track[i] = i;
    }
    ExactIndex index = new ExactIndex(new VectorMatrix(data, dim));
    float[] penalty = hubK > 0 ? HubReduction.penalties(similarity, index, tempo, track, hubK) : null;
    Map<Family, int[]> tally = new EnumMap<>(Family.class); // clips, family, meter, other-ensemble family, meter
    int confusions = 0;
    int[][] confusion = new int[Family.values().length][Family.values().length];
    for (int i = 0; i < n; i++) {
      Clip c = clips.get(i);
      float[] s = similarity.all(index, c.vector(), c.tempo(), tempo);
      if (penalty != null) {
        HubReduction.apply(s, penalty);
      }
      int any = -1;
      int other = -1;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        if (any < 0 || s[j] > s[any]) {
          any = j;
        }
        if (clips.get(j).ensemble() != c.ensemble() && (other < 0 || s[j] > s[other])) {
          other = j;
        }
      }
      int[] t = tally.computeIfAbsent(c.family(), f -> new int[5]);
      Clip a = clips.get(any);
      Clip o = clips.get(other);
      confusion[c.family().ordinal()][o.family().ordinal()]++;
      t[0]++;
      t[1] += a.family() == c.family() ? 1 : 0;
      t[2] += a.family().meter() == c.family().meter() ? 1 : 0;
      t[3] += o.family() == c.family() ? 1 : 0;
      t[4] += o.family().meter() == c.family().meter() ? 1 : 0;
      boolean waltzFour = (c.family() == Family.WALTZ && a.family().meter() == Meter.FOUR_FOUR)
          || (c.family().meter() == Meter.FOUR_FOUR && a.family() == Family.WALTZ);
      if (waltzFour && a.bpm() == c.bpm()) {
        confusions++;
      }
    }
    List<FamilyResult> rows = new ArrayList<>();
    int[] sum = new int[5];
    for (Map.Entry<Family, int[]> e : tally.entrySet()) {
      int[] t = e.getValue();
      rows.add(new FamilyResult(e.getKey(), e.getKey().meter(), t[0], t[1] / (double) t[0], t[2] / (double) t[0],
          t[3] / (double) t[0], t[4] / (double) t[0]));
      for (int k = 0; k < 5; k++) {
        sum[k] += t[k];
      }
    }
    return new Result(rows, sum[0], sum[1] / (double) sum[0], sum[2] / (double) sum[0], sum[3] / (double) sum[0],
        sum[4] / (double) sum[0], confusions, confusion);
  }
}
