package org.rhythmsearch.features;

import java.nio.file.Path;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioLoader;

/**
 * What the study's figures show for one 10-s excerpt (Foote, Cooper &amp; Nam 2002; issue 13): the mel
 * spectrogram in dB, the frame-to-frame cosine self-similarity matrix, the beat spectrum (the mean of
 * the matrix's diagonals by lag) and the descriptor a feature configuration stores, with the excerpt's
 * tempo. The data of {@code rhythmsearch plot}, computed by the same code as the index's vectors.
 *
 * <p>Immutable once made (the arrays are not to be changed); thread-safe.
 *
 * @param source the audio file
 * @param startSeconds where the excerpt starts in it
 * @param config the feature configuration
 * @param melDb the dB mel spectrogram (floored {@code config.dbRange()} below its peak, floor at 0)
 * @param similarity {@code frames × frames} cosines of the dB spectrogram's frames, row-major
 * @param beatSpectrum Foote's beat spectrum B(l), l = 0 … max lag (frames), undetrended
 * @param descriptor the unit-norm vector the configuration stores for this excerpt, or null when the
 *     excerpt is silent
 * @param tempoBpm the excerpt's tempo, NaN when it has none
 */
public record ExcerptFigures(String source, double startSeconds, FeatureConfig config, MelSpectrogram melDb,
    float[] similarity, float[] beatSpectrum, float[] descriptor, double tempoBpm) {

  /** Spectrogram frames (the similarity matrix is frames × frames). */
  public int frames() {
    return melDb.frames();
  }

  /** The time of lag {@code lag} (in frames) in seconds: the beat spectrum's x axis. */
  public double lagSeconds(int lag) {
    return lag / melDb.framesPerSecond();
  }

  /** The beat period in seconds (60 / tempo), NaN when the tempo is unknown. */
  public double beatPeriodSeconds() {
    return tempoBpm > 0 ? 60 / tempoBpm : Double.NaN;
  }

  /**
   * Loads the excerpt of {@code config.excerptSeconds()} starting at {@code startSeconds} and computes
   * its figures.
   *
   * @throws AudioDecodeException when the file cannot be decoded or the excerpt runs past its end
   */
  public static ExcerptFigures of(FeatureConfig config, Path file, double startSeconds) throws AudioDecodeException {
    float[] samples = new AudioLoader(config.sampleRate()).load(file, startSeconds, config.excerptSeconds()).samples();
    if (samples.length < config.excerptSamples()) {
      throw new AudioDecodeException(file, AudioDecodeException.Reason.OUT_OF_RANGE, String.format(
          "a %.0f-s excerpt at %.2f s runs past the end of the audio", config.excerptSeconds(), startSeconds));
    }
    FeatureExtractor fx = new FeatureExtractor(config);
    MelSpectrogram db = FeatureExtractor.decibels(fx.melPower(samples), config.dbRange());
    int frames = db.frames();
    int mels = db.mels();
    float[] unit = BeatSpectra.unitFrames(db);
    float[] sim = new float[frames * frames];
    for (int i = 0; i < frames; i++) {
      for (int j = i; j < frames; j++) {
        double dot = 0;
        for (int m = 0; m < mels; m++) {
          dot += (double) unit[i * mels + m] * unit[j * mels + m];
        }
        sim[i * frames + j] = (float) dot;
        sim[j * frames + i] = (float) dot;
      }
    }
    float[] beat = new BeatSpectra().diagonalMean(unit, frames, mels, Math.min(config.maxLagFrames(), frames - 1));
    FeatureExtractor.Result r = fx.excerpt(samples);
    return new ExcerptFigures(file.toString(), startSeconds, config, db, sim, beat, r.vector(), r.tempoBpm());
  }
}
