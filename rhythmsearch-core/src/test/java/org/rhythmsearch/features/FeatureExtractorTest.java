package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.PcmAudio;
import org.rhythmsearch.testing.Fixtures;
import org.rhythmsearch.testing.Signals;

/** Whole-track extraction: formats agree, excerpting, silence and short tracks. */
class FeatureExtractorTest {

  @TempDir static Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"onset-autocorr", "onset-patterns-4", "onset-loglag-4", "beat-spectrum-detrended", "beat-spectrum",
      "beat-spectrum-autocorr", "fbsc", "seed-notebook"})
  void theSameAudioInEveryFormatGivesTheSameVector(String feature) throws IOException {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.byName(feature));
    Path wav = Fixtures.click120(tmp.resolve("click-" + feature + ".wav"));
    float[] reference = fx.track(wav, 10).excerpts().get(0).vector();
    assertThat(reference).hasSize(fx.config().dimension());
    for (String name : new String[] {"click120.flac", "click120.ogg", "click120.mp3"}) {
      TrackFeatures t = fx.track(Fixtures.resource(name), 10);
      assertThat(t.excerpts()).hasSize(1);
      assertThat(Signals.cosine(reference, t.excerpts().get(0).vector())).as("%s vs WAV, %s", name, feature)
          .isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  void aSectionIsTheWholeTracksGridFromItsStartWithinItsLength() throws Exception {
    Path f = tmp.resolve("long.wav");
    Signals.writeWav16(f, 22050, Signals.clickTrack(110, 65, 22050, 0.5, 3));
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    TrackFeatures whole = fx.track(f, 10);
    TrackFeatures part = fx.section(f, 10, 3600, 20, 25); // 20-45 s: excerpts at 20 and 30 s
    assertThat(part.excerpts()).extracting(ExcerptVector::startSeconds).containsExactly(20.0, 30.0);
    for (ExcerptVector e : part.excerpts()) {
      ExcerptVector same = whole.excerpts().stream().filter(w -> w.startSeconds() == e.startSeconds()).findFirst()
          .orElseThrow();
      assertThat(e.vector()).containsExactly(same.vector());
      assertThat(e.tempoBpm()).isEqualTo(same.tempoBpm());
    }
    assertThat(part.durationSeconds()).as("read up to the last excerpt's end").isEqualTo(20.0);
    // past the end: nothing, and what was read of it
    TrackFeatures late = fx.section(f, 10, 3600, 60, 30);
    assertThat(late.excerpts()).isEmpty();
    assertThat(late.durationSeconds()).isCloseTo(5.0, within(0.01));
    assertThatThrownBy(() -> fx.section(f, 10, 3600, 0, 9)).hasMessageContaining("at least one excerpt");
  }

  @Test
  void vectorsAreUnitNormAndCarryTheirConfiguration() {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.BEAT_SPECTRUM_DETRENDED);
    PcmAudio audio = new PcmAudio(Signals.clickTrack(128, 35, 22050, 0.5, 3), 22050);
    TrackFeatures t = fx.track("synthetic", audio, 5);
    assertThat(t.config().id()).isEqualTo("beat-spectrum-detrended@1");
    assertThat(t.excerpts()).extracting(ExcerptVector::startSeconds).containsExactly(0.0, 5.0, 10.0, 15.0, 20.0, 25.0);
    for (ExcerptVector e : t.excerpts()) {
      assertThat(e.vector()).hasSize(216);
      assertThat(Vectors.norm(e.vector())).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void aTrackShorterThanOneExcerptIsReportedTooShort() {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    TrackFeatures t = fx.track("short", new PcmAudio(Signals.clickTrack(120, 7.5, 22050, 0, 1), 22050), 10);
    assertThat(t.tooShort()).isTrue();
    assertThat(t.excerpts()).isEmpty();
    assertThat(t.problem()).isEqualTo("too short (7.50 s < 10 s excerpt)");
  }

  @Test
  void silentExcerptsAreSkippedWithAReasonNotNaN() {
    float[] audio = new float[30 * 22050];
    float[] clicks = Signals.clickTrack(100, 10, 22050, 0, 5);
    System.arraycopy(clicks, 0, audio, 10 * 22050, clicks.length); // silence, music, silence
    for (FeatureConfig c : FeatureConfigs.all()) {
      TrackFeatures t = new FeatureExtractor(c).track("gap", new PcmAudio(audio, 22050), 10);
      assertThat(t.excerpts()).as(c.name()).extracting(ExcerptVector::startSeconds).containsExactly(10.0);
      assertThat(t.skipped()).as(c.name()).extracting(SkippedExcerpt::startSeconds).containsExactly(0.0, 20.0);
      assertThat(t.skipped().get(0).reason()).startsWith("silent");
      for (float v : t.excerpts().get(0).vector()) {
        assertThat(v).isFinite();
      }
    }
  }

  @Test
  void allSilentTrackHasAProblemNotAnException() {
    TrackFeatures t = new FeatureExtractor(FeatureConfigs.DEFAULT).track("silence", new PcmAudio(new float[220500], 22050), 10);
    assertThat(t.excerpts()).isEmpty();
    assertThat(t.problem()).startsWith("no usable excerpt (silent");
  }

  @Test
  void unknownFeatureNamesTheKnownOnes() {
    assertThatThrownBy(() -> FeatureConfigs.byName("tempo"))
        .hasMessage("unknown feature 'tempo'; known: onset-beat-8, onset-beat-16, onset-beat-16w, onset-autocorr, onset-patterns-4, onset-patterns-8, onset-loglag-4, "
            + "beat-spectrum-detrended, beat-spectrum, beat-spectrum-autocorr, fbsc, seed-notebook");
  }

  @Test
  void differentConfigurationsHaveDifferentCanonicalForms() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (FeatureConfig c : FeatureConfigs.all()) {
      assertThat(seen.add(c.canonical())).as(c.name()).isTrue();
      assertThat(c.canonical()).contains("name=" + c.name()).contains("dimension=" + c.dimension());
    }
  }

  @Test
  void wrongSampleRateIsRefused() {
    assertThatThrownBy(() -> new FeatureExtractor(FeatureConfigs.DEFAULT).track("x", new PcmAudio(new float[10], 44100), 10))
        .hasMessageContaining("44100 Hz").hasMessageContaining("22050 Hz");
  }

  @Test
  void loaderAndExtractorFindTheTempoOfAResampledFile() throws IOException {
    // 48 kHz source through the polyphase path: the beat period survives resampling
    Path f = tmp.resolve("click150-48k.wav");
    Signals.writeWav16(f, 48000, Signals.clickTrack(150, 10.5, 48000, 0, 9));
    PcmAudio a = new AudioLoader().load(f);
    float[] b = new FeatureExtractor(FeatureConfigs.BEAT_SPECTRUM).rawDescriptor(a.copyRange(0, 220500));
    java.util.List<Integer> peaks = BeatSpectrumTest.peaks(b);
    float top = max(b, peaks);
    int firstStrong = peaks.stream().filter(l -> b[l] >= 0.6f * top).findFirst().orElseThrow();
    assertThat((double) firstStrong).isCloseTo(60.0 / 150 * 22050 / 512, within(1.0));
  }

  private static float max(float[] b, java.util.List<Integer> peaks) {
    float m = 0;
    for (int l : peaks) {
      m = Math.max(m, b[l]);
    }
    return m;
  }
}
