package org.rhythmsearch.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rhythmsearch.audio.PcmAudio;

/**
 * Generated drum and accompaniment grooves of known meter and family, for testing what a rhythm
 * descriptor tells apart ({@link GrooveEvaluation}): a waltz (3/4), a slow foxtrot and a tango (4/4),
 * a 6/8 groove, and two clave-based grooves (son and rumba clave, 4/4), each played by several
 * synthetic ensembles at several tempi with human timing and dynamics.
 *
 * <p>A groove is a bar (or two) of steps; at each step some voices strike: {@code L} the low voice
 * (kick drum, bass, low tom), {@code M} the middle (snare, chord, clap), {@code H} the high (hi-hat,
 * shaker, ride), {@code C} a click (rim, clave, cowbell), lower case for a soft stroke. Ensembles differ in the
 * sounds of those four voices. Everything is synthesised here (decaying sines and filtered noise),
 * with a seeded random source: the same arguments give the same samples.
 *
 * <p>Immutable; thread-safe.
 */
public final class GrooveSynth {

  /** Sample rate of the generated audio, Hz (the features' own). */
  public static final int SAMPLE_RATE = 22050;

  /** The meters the grooves are in. */
  public enum Meter { THREE_FOUR, FOUR_FOUR, SIX_EIGHT }

  /**
   * A groove family: its meter, beats per pattern, steps per beat and the voices struck at each step
   * (from lines such as {@code "L 0 6 8 12"}: voice, then the steps; a lower-case voice is soft).
   */
  public enum Family {
    /** Waltz: bass on 1, chords on 2 and 3; eighths on the hat. */
    WALTZ(Meter.THREE_FOUR, 3, 2, "L 0", "M 2 4", "H 0 2 4", "h 1 3 5"),
    /** Slow foxtrot: bass on 1 and 3, chords on 2 and 4, swung eighths on the hat. */
    FOXTROT(Meter.FOUR_FOUR, 4, 2, "L 0 4", "M 2 6", "H 0 2 4 6", "h 3 7"),
    /** Tango: the habanera figure in the bass, a marcato chord on every beat. */
    TANGO(Meter.FOUR_FOUR, 4, 4, "L 0 6 8 12", "M 0 4 8 12", "H 0 8", "h 4 12"),
    /** 6/8: two dotted-quarter beats, low on 1, backbeat on 4, every eighth on the hat. */
    SIX_EIGHT(Meter.SIX_EIGHT, 2, 3, "L 0", "M 3", "H 0 3", "h 1 2 4 5"),
    /** Son clave 3-2 over two bars of 4/4 (eighths), bass on the tumbao (2-and, 4). */
    SON_CLAVE(Meter.FOUR_FOUR, 8, 2, "C 0 3 6 10 12", "L 3 6 11 14", "H 6 14", "h 0 1 2 3 4 5 7 8 9 10 11 12 13 15"),
    /** Rumba clave 3-2 (sixteenths): the son clave with its third stroke a sixteenth pair later. */
    RUMBA_CLAVE(Meter.FOUR_FOUR, 8, 4, "C 0 6 14 20 24", "L 0 10 16 26", "M 12 28", "h 2 4 8 18 22 30");

    private final Meter meter;
    private final int beatsPerPattern;
    private final int stepsPerBeat;
    private final String[] steps;

    Family(Meter meter, int beatsPerPattern, int stepsPerBeat, String... voices) {
      this.meter = meter;
      this.beatsPerPattern = beatsPerPattern;
      this.stepsPerBeat = stepsPerBeat;
      this.steps = new String[beatsPerPattern * stepsPerBeat];
      java.util.Arrays.fill(steps, "");
      for (String line : voices) {
        String[] parts = line.split(" ");
        for (int i = 1; i < parts.length; i++) {
          steps[Integer.parseInt(parts[i])] += parts[0];
        }
      }
    }

    public Meter meter() {
      return meter;
    }

    /** The voices struck at step {@code i} of the pattern (empty: none). */
    String step(int i) {
      return steps[i];
    }

    int steps() {
      return steps.length;
    }
  }

  /** The synthetic ensembles: which sound each voice makes. */
  public enum Ensemble {
    /** Kick, snare, closed hi-hat, rim click. */
    DRUMS,
    /** Plucked bass, piano-like chord, shaker, clave. */
    BAND,
    /** Low tom, hand clap, ride cymbal, cowbell. */
    PERCUSSION
  }

  /** One stroke: when (seconds), which voice, how loud (0–1). */
  record Stroke(double seconds, char voice, double velocity) {}

  private GrooveSynth() {}

  /**
   * The strokes of {@code family} at {@code bpm} (beats per minute; for 6/8 the dotted-quarter beat)
   * for {@code seconds}, with human timing ({@code jitterMs} standard deviation), dynamics and swing
   * drawn from {@code seed}.
   */
  static List<Stroke> strokes(Family family, double bpm, double seconds, double jitterMs, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double beat = 60 / bpm;
    double step = beat / family.stepsPerBeat;
    double swing = family == Family.FOXTROT ? 0.08 + 0.06 * rnd.nextDouble() : 0; // off-beat eighths late by this share of a beat
    double drift = 1 + 0.004 * (rnd.nextDouble() - 0.5); // a player's tempo is not the metronome's
    List<Stroke> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      double t = i * step * drift;
      if (t >= seconds) {
        break;
      }
      if (swing > 0 && family.stepsPerBeat == 2 && i % 2 == 1) {
        t += swing * beat;
      }
      String voices = family.step(i % family.steps());
      for (char c : voices.toCharArray()) {
        boolean soft = Character.isLowerCase(c);
        if (soft && rnd.nextDouble() < 0.1) {
          continue; // a ghost note left out now and then
        }
        double v = (soft ? 0.35 : 0.8) * (1 + 0.2 * (rnd.nextDouble() - 0.5));
        double when = Math.max(0, t + rnd.nextGaussian() * jitterMs / 1000);
        out.add(new Stroke(when, Character.toUpperCase(c), v));
      }
    }
    return out;
  }

  /**
   * {@code seconds} of {@code family} at {@code bpm} played by {@code ensemble}, mono at {@value
   * #SAMPLE_RATE} Hz; {@code seed} draws the timing, dynamics and the ensemble's tuning.
   */
  public static PcmAudio render(Family family, Ensemble ensemble, double bpm, double seconds, long seed) {
    int n = (int) Math.round(seconds * SAMPLE_RATE);
    float[] out = new float[n];
    SplittableRandom tone = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double pitch = Math.pow(2, (tone.nextDouble() - 0.5) / 3); // the ensemble's tuning, ± 2 semitones
    SplittableRandom noise = new SplittableRandom(seed * 31 + 7);
    int bar = 0;
    for (Stroke s : strokes(family, bpm, seconds, 8, seed)) {
      int at = (int) Math.round(s.seconds() * SAMPLE_RATE);
      bar = (int) (s.seconds() / (60 / bpm * family.beatsPerPattern));
      addVoice(out, at, s.voice(), s.velocity(), ensemble, pitch, bar, noise);
    }
    float peak = 0;
    for (float x : out) {
      peak = Math.max(peak, Math.abs(x));
    }
    for (int i = 0; i < n && peak > 0; i++) {
      out[i] *= 0.7f / peak;
    }
    return new PcmAudio(out, SAMPLE_RATE);
  }

  private static void addVoice(float[] out, int at, char voice, double velocity, Ensemble e, double pitch, int bar,
      SplittableRandom noise) {
    switch (e) {
      case DRUMS -> {
        switch (voice) {
          case 'L' -> sweep(out, at, velocity, 110 * pitch, 45 * pitch, 0.18);
          case 'M' -> {
            noise(out, at, velocity * 0.8, 0.13, 0.6, noise);
            tone(out, at, velocity * 0.4, 190 * pitch, 0.08);
          }
          case 'H' -> noise(out, at, velocity * 0.35, 0.04, 0.95, noise);
          default -> tone(out, at, velocity * 0.5, 1700 * pitch, 0.03);
        }
      }
      case BAND -> {
        double root = (bar % 2 == 0 ? 55 : 73.4) * pitch; // two chords, changing every pattern
        switch (voice) {
          case 'L' -> pluck(out, at, velocity, root, 0.35);
          case 'M' -> {
            for (double ratio : new double[] {4, 5, 6}) {
              pluck(out, at, velocity * 0.3, root * ratio, 0.45);
            }
          }
          case 'H' -> noise(out, at, velocity * 0.3, 0.07, 0.85, noise);
          default -> tone(out, at, velocity * 0.6, 2500 * pitch, 0.035);
        }
      }
      case PERCUSSION -> {
        switch (voice) {
          case 'L' -> sweep(out, at, velocity, 160 * pitch, 110 * pitch, 0.25);
          case 'M' -> {
            for (int k = 0; k < 3; k++) {
              noise(out, at + k * 220, velocity * 0.6, 0.05, 0.7, noise);
            }
          }
          case 'H' -> {
            noise(out, at, velocity * 0.2, 0.25, 0.97, noise);
            tone(out, at, velocity * 0.05, 5200 * pitch, 0.2);
          }
          default -> {
            tone(out, at, velocity * 0.4, 560 * pitch, 0.08);
            tone(out, at, velocity * 0.3, 845 * pitch, 0.08);
          }
        }
      }
      default -> throw new IllegalStateException(e.name());
    }
  }

  /** A sine falling from {@code f0} to {@code f1} Hz, decaying with time constant {@code tau} s. */
  private static void sweep(float[] out, int at, double amp, double f0, double f1, double tau) {
    double phase = 0;
    int len = (int) (5 * tau * SAMPLE_RATE);
    for (int i = 0; i < len && at + i < out.length; i++) {
      double t = i / (double) SAMPLE_RATE;
      double f = f1 + (f0 - f1) * Math.exp(-t / 0.04);
      phase += 2 * Math.PI * f / SAMPLE_RATE;
      out[at + i] += (float) (amp * Math.exp(-t / tau) * Math.sin(phase));
    }
  }

  private static void tone(float[] out, int at, double amp, double f, double tau) {
    int len = (int) (5 * tau * SAMPLE_RATE);
    for (int i = 0; i < len && at + i < out.length; i++) {
      double t = i / (double) SAMPLE_RATE;
      out[at + i] += (float) (amp * Math.exp(-t / tau) * Math.sin(2 * Math.PI * f * t));
    }
  }

  /** A plucked string: fundamental and two harmonics, the upper ones dying sooner. */
  private static void pluck(float[] out, int at, double amp, double f, double tau) {
    tone(out, at, amp * 0.7, f, tau);
    tone(out, at, amp * 0.25, 2 * f, tau / 2);
    tone(out, at, amp * 0.1, 3 * f, tau / 3);
  }

  /**
   * Noise decaying with time constant {@code tau}, high-passed by a one-pole filter of coefficient
   * {@code brightness} (0: white, near 1: only the highest frequencies).
   */
  private static void noise(float[] out, int at, double amp, double tau, double brightness, SplittableRandom rnd) {
    int len = (int) (5 * tau * SAMPLE_RATE);
    double low = 0;
    for (int i = 0; i < len && at + i < out.length; i++) {
      double t = i / (double) SAMPLE_RATE;
      double x = 2 * rnd.nextDouble() - 1;
      low = brightness * low + (1 - brightness) * x; // the low part, removed
      out[at + i] += (float) (amp * Math.exp(-t / tau) * (x - low));
    }
  }
}
