package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.store.SqliteStore;
import org.rhythmsearch.testing.BadInputs;
import org.rhythmsearch.testing.Signals;

/**
 * Issue 12, point 3: the bad-input matrix ({@link BadInputs}: every format × empty, 1 byte, header
 * only, truncated at 10/50/99 %, random bytes with the right magic or the wrong extension, lying length,
 * zero rate or channels, and silence, 3 s, 1 h, 8/24/32-bit and float samples, 8/96/192 kHz, 1–8
 * channels). Each file gives exactly the outcome judged right for it: vectors (with a note when its
 * stream was damaged), a stored "no vectors" reason, or one typed error naming it; and all of them
 * together are one batch that goes on.
 */
class BadInputMatrixTest {

  @TempDir static Path tmp;
  static List<Path> files;

  /** The right outcome of each file, in the words of {@link #outcome}. */
  static final String[][] EXPECTED = {
      {"aiff-1-byte.aiff", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"aiff-24-bit.aiff", "2 excerpts, 21.0 s"},
      {"aiff-8-bit.aiff", "2 excerpts, 21.0 s"},
      {"aiff-empty.aiff", "error EMPTY: empty file (0 bytes)"},
      {"aiff-header-only.aiff", "error TRUNCATED: truncated or corrupt stream (decoded 0.00 s of the 11.00 s its header declares)"},
      {"aiff-lying-length.aiff", "1 excerpts, 11.0 s"},
      {"aiff-random-bytes.aiff", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"aiff-random-with-magic.aiff", "error TRUNCATED: truncated or corrupt stream (AIFF header unreadable: its data is malformed)"},
      {"aiff-truncated-10.aiff", "no-vectors damaged: nothing usable before the damage (decoded 1.10 s of the 11.00 s its header declares)"},
      {"aiff-truncated-50.aiff", "no-vectors damaged: nothing usable before the damage (decoded 5.50 s of the 11.00 s its header declares)"},
      {"aiff-truncated-99.aiff", "1 excerpts, 10.9 s minor-damage"},
      {"aiff-whole.aiff", "1 excerpts, 11.0 s"},
      {"aiff-zero-channels.aiff", "error TRUNCATED: truncated or corrupt stream (AIFF decoder refused it: File of unsupported format)"},
      {"aiff-zero-rate.aiff", "error TRUNCATED: truncated or corrupt stream (AIFF header gives sample rate 0 Hz and 1 channel(s); a sample rate must lie in 1000–768000 Hz, channels in 1–255)"},
      {"au-1-byte.au", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"au-24-bit.au", "2 excerpts, 21.0 s"},
      {"au-8-bit.au", "2 excerpts, 21.0 s"},
      {"au-empty.au", "error EMPTY: empty file (0 bytes)"},
      {"au-header-only.au", "error TRUNCATED: truncated or corrupt stream (decoded 0.00 s of the 11.00 s its header declares)"},
      {"au-lying-length.au", "1 excerpts, 11.0 s damaged"},
      {"au-random-bytes.au", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"au-random-with-magic.au", "error TRUNCATED: truncated or corrupt stream (AU decoder refused it: File of unsupported format)"},
      {"au-truncated-10.au", "no-vectors damaged: nothing usable before the damage (decoded 1.10 s of the 11.00 s its header declares)"},
      {"au-truncated-50.au", "no-vectors damaged: nothing usable before the damage (decoded 5.50 s of the 11.00 s its header declares)"},
      {"au-truncated-99.au", "1 excerpts, 10.9 s minor-damage"},
      {"au-whole.au", "1 excerpts, 11.0 s"},
      {"au-zero-channels.au", "error TRUNCATED: truncated or corrupt stream (AU decoder refused it: File of unsupported format)"},
      {"au-zero-rate.au", "error TRUNCATED: truncated or corrupt stream (AU decoder refused it: File of unsupported format)"},
      {"flac-1-byte.flac", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"flac-empty.flac", "error EMPTY: empty file (0 bytes)"},
      {"flac-header-only.flac", "error TRUNCATED: truncated or corrupt stream (FLAC metadata block 1 (type 4) claims 46 bytes but only 18 remain in the file)"},
      {"flac-lying-length.flac", "1 excerpts, 11.0 s damaged"},
      {"flac-random-bytes.flac", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"flac-random-with-magic.flac", "error TRUNCATED: truncated or corrupt stream (FLAC stream does not start with STREAMINFO)"},
      {"flac-truncated-10.flac", "no-vectors damaged: nothing usable before the damage (decoded 0.63 s of the 11.00 s its header declares)"},
      {"flac-truncated-50.flac", "no-vectors damaged: nothing usable before the damage (decoded 5.22 s of the 11.00 s its header declares)"},
      {"flac-truncated-99.flac", "1 excerpts, 10.8 s minor-damage"},
      {"flac-whole.flac", "1 excerpts, 11.0 s"},
      {"flac-zero-rate.flac", "error TRUNCATED: truncated or corrupt stream (FLAC header gives sample rate 0 Hz and 2 channel(s); a sample rate must lie in 1000–768000 Hz, channels in 1–255)"},
      {"mp3-1-byte.mp3", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"mp3-empty.mp3", "error EMPTY: empty file (0 bytes)"},
      {"mp3-header-only.mp3", "error TRUNCATED: truncated or corrupt stream (MP3 decoder refused it: no MPEG audio frame found)"},
      {"mp3-random-bytes.mp3", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"mp3-random-with-magic.mp3", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"mp3-truncated-10.mp3", "no-vectors damaged: nothing usable before the damage (decoded 1.05 s of the 11.00 s its header declares)"},
      {"mp3-truncated-50.mp3", "no-vectors damaged: nothing usable before the damage (decoded 5.46 s of the 11.00 s its header declares)"},
      {"mp3-truncated-99.mp3", "1 excerpts, 10.9 s minor-damage"},
      {"mp3-whole.mp3", "1 excerpts, 11.0 s"},
      {"ogg-1-byte.ogg", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"ogg-empty.ogg", "error EMPTY: empty file (0 bytes)"},
      {"ogg-header-only.ogg", "error TRUNCATED: truncated or corrupt stream (OGG Vorbis header unreadable: stream ends inside the Vorbis headers)"},
      {"ogg-random-bytes.ogg", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"ogg-random-with-magic.ogg", "error UNSUPPORTED_CODEC: unsupported codec (OGG stream is neither Vorbis nor Opus)"},
      {"ogg-truncated-10.ogg", "error TRUNCATED: truncated or corrupt stream (OGG Vorbis stream has no end-of-stream page; decoded 0.00 s)"},
      {"ogg-truncated-50.ogg", "no-vectors damaged: nothing usable before the damage (OGG Vorbis stream has no end-of-stream page; decoded 5.04 s)"},
      {"ogg-truncated-99.ogg", "1 excerpts, 10.0 s minor-damage"},
      {"ogg-whole.ogg", "1 excerpts, 11.0 s"},
      {"opus-1-byte.opus", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"opus-empty.opus", "error EMPTY: empty file (0 bytes)"},
      {"opus-header-only.opus", "error TRUNCATED: truncated or corrupt stream (Ogg Opus header unreadable: stream ends inside the Opus comment header)"},
      {"opus-random-bytes.opus", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"opus-random-with-magic.opus", "error UNSUPPORTED_CODEC: unsupported codec (OGG stream is neither Vorbis nor Opus)"},
      {"opus-truncated-10.opus", "error TRUNCATED: truncated or corrupt stream (Ogg Opus stream has no end-of-stream page; decoded 0.00 s)"},
      {"opus-truncated-50.opus", "no-vectors damaged: nothing usable before the damage (Ogg Opus stream has no end-of-stream page; decoded 4.99 s)"},
      {"opus-truncated-99.opus", "no-vectors damaged: nothing usable before the damage (Ogg Opus stream has no end-of-stream page; decoded 9.99 s)"},
      {"opus-whole.opus", "1 excerpts, 11.0 s"},
      {"wav-1-byte.wav", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"wav-1-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-1-hour.wav", "360 excerpts, 3600.0 s"},
      {"wav-192-khz.wav", "2 excerpts, 21.0 s"},
      {"wav-2-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-24-bit.wav", "2 excerpts, 21.0 s"},
      {"wav-3-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-3-s.wav", "no-vectors: too short (3.00 s < 10 s excerpt)"},
      {"wav-32-bit-float.wav", "2 excerpts, 21.0 s"},
      {"wav-32-bit.wav", "2 excerpts, 21.0 s"},
      {"wav-4-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-5-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-6-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-7-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-8-bit.wav", "2 excerpts, 21.0 s"},
      {"wav-8-channels.wav", "2 excerpts, 21.0 s"},
      {"wav-8-khz.wav", "2 excerpts, 21.0 s"},
      {"wav-96-khz.wav", "2 excerpts, 21.0 s"},
      {"wav-empty.wav", "error EMPTY: empty file (0 bytes)"},
      {"wav-header-only.wav", "error TRUNCATED: truncated or corrupt stream (decoded 0.00 s of the 11.00 s its header declares)"},
      {"wav-lying-length.wav", "1 excerpts, 11.0 s damaged"},
      {"wav-random-bytes.wav", "error NOT_AUDIO: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)"},
      {"wav-random-with-magic.wav", "error TRUNCATED: truncated or corrupt stream (WAV file has no 'fmt ' chunk in its first bytes)"},
      {"wav-silence.wav", "no-vectors: no usable excerpt (silent (digital silence: every sample is 0))"},
      {"wav-truncated-10.wav", "no-vectors damaged: nothing usable before the damage (decoded 1.10 s of the 11.00 s its header declares)"},
      {"wav-truncated-50.wav", "no-vectors damaged: nothing usable before the damage (decoded 5.50 s of the 11.00 s its header declares)"},
      {"wav-truncated-99.wav", "1 excerpts, 10.9 s minor-damage"},
      {"wav-whole.wav", "1 excerpts, 11.0 s"},
      {"wav-zero-channels.wav", "error TRUNCATED: truncated or corrupt stream (WAV header unreadable: unsupported WAV layout: 16-bit integer, 0 channel(s), block 2 bytes)"},
      {"wav-zero-rate.wav", "error TRUNCATED: truncated or corrupt stream (WAV header gives sample rate 0 Hz and 1 channel(s); a sample rate must lie in 1000–768000 Hz, channels in 1–255)"},
  };

  @BeforeAll
  static void write() throws Exception {
    files = BadInputs.write(tmp.resolve("m"));
  }

  /** What indexing makes of a file, in words. */
  static String outcome(FeatureExtractor fx, Path f) {
    try {
      TrackFeatures t = fx.track(f, 10);
      String d = t.damage() == null ? "" : t.damage().minor() ? " minor-damage" : " damaged";
      if (t.excerpts().isEmpty()) {
        return "no-vectors" + d + ": " + t.problem();
      }
      return String.format("%d excerpts, %.1f s%s", t.excerpts().size(), t.durationSeconds(), d);
    } catch (AudioDecodeException e) {
      assertThat(e.getMessage()).startsWith(f + ": ").doesNotContain("\n").doesNotContain("Exception");
      return "error " + e.reason() + ": " + e.getMessage().substring(f.toString().length() + 2);
    }
  }

  @Test
  void everyFileGivesTheOutcomeJudgedRightForIt() {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    Map<String, String> expected = new LinkedHashMap<>();
    for (String[] row : EXPECTED) {
      expected.put(row[0], row[1]);
    }
    Map<String, String> got = new LinkedHashMap<>();
    for (Path f : files) {
      got.put(f.getFileName().toString(), outcome(fx, f));
    }
    assertThat(got).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void everySampleFormatRateAndChannelCountGivesTheVectorsOfThePlainFile() throws Exception {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    TrackFeatures plain = fx.track(tmp.resolve("m/wav-1-channels.wav"), 10); // 16-bit mono 22.05 kHz
    // the same samples in another layout: the same vectors to float precision
    similar(fx, plain, 0.9999, "wav-24-bit.wav", "wav-32-bit.wav", "wav-32-bit-float.wav", "aiff-24-bit.aiff",
        "au-24-bit.au", "wav-2-channels.wav", "wav-5-channels.wav", "wav-8-channels.wav");
    // 8-bit samples add quantisation noise 48 dB down, inside the 80-dB range the features see
    similar(fx, plain, 0.95, "wav-8-bit.wav", "aiff-8-bit.aiff", "au-8-bit.au");
    // the same pattern synthesised at another rate (8 kHz also loses the band above 4 kHz)
    similar(fx, plain, 0.9, "wav-8-khz.wav", "wav-96-khz.wav", "wav-192-khz.wav");
  }

  private static void similar(FeatureExtractor fx, TrackFeatures plain, double min, String... names) throws Exception {
    for (String name : names) {
      TrackFeatures t = fx.track(tmp.resolve("m").resolve(name), 10);
      assertThat(t.excerpts()).hasSameSizeAs(plain.excerpts());
      for (int x = 0; x < plain.excerpts().size(); x++) {
        assertThat(Signals.cosine(t.excerpts().get(x).vector(), plain.excerpts().get(x).vector())).as(name)
            .isGreaterThan(min);
      }
    }
  }

  @Test
  void allOfThemInOneBatchTheGoodOnesAreIndexedAndEveryBadOneIsNamed() throws Exception {
    long errors = java.util.Arrays.stream(EXPECTED).filter(r -> r[1].startsWith("error")
        || r[1].startsWith("no-vectors damaged")).count();
    long noVectors = java.util.Arrays.stream(EXPECTED).filter(r -> r[1].startsWith("no-vectors:")).count();
    try (SqliteStore store = SqliteStore.open(tmp.resolve("batch.db"), FeatureConfigs.DEFAULT)) {
      Indexer.Summary s = new Indexer(store, 2, 8, null).index(files, null);
      assertThat(s.failures()).hasSize((int) errors);
      assertThat(s.noVectors()).hasSize((int) noVectors);
      assertThat(s.added()).isEqualTo(files.size() - errors - noVectors);
      for (Indexer.Failure f : s.failures()) {
        assertThat(f.reason()).startsWith(f.path() + ": ").doesNotContain("\n").doesNotContain("Exception");
      }
      assertThat(store.check().ok()).isTrue();
    }
  }
}
