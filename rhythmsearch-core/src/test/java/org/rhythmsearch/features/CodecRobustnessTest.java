package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.audio.AudioDecoder;
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.PcmAudio;
import org.rhythmsearch.testing.Fixtures;
import org.rhythmsearch.testing.Signals;

/**
 * The same real music as WAV, FLAC, MP3 (128 kb/s) and Ogg Vorbis (q3) must give (nearly) the same
 * rhythm vectors (issue 25, point 4): 11 s of a Pingus tracker tune (fixtures/README.md), three 10-s
 * excerpts 0.5 s apart. The WAV is written here from the FLAC's samples. Figures over more clips and
 * every feature: {@code scripts/codec-report.sh} (docs/EVALUATION.md).
 */
class CodecRobustnessTest {

  private static final String[] CODECS = {"wav", "flac", "mp3", "ogg"};

  private static Map<String, List<float[]>> vectors(FeatureConfig config, Path wav) throws Exception {
    FeatureExtractor fx = new FeatureExtractor(config);
    Map<String, List<float[]>> out = new LinkedHashMap<>();
    for (String codec : CODECS) {
      Path file = codec.equals("wav") ? wav : Fixtures.resource("pingus5-clip." + codec);
      List<float[]> v = new ArrayList<>();
      fx.grid(new AudioLoader(config.sampleRate()).load(file), 0, 0.5, (start, r) -> v.add(r.vector()));
      assertThat(v).as(codec).hasSize(3).doesNotContainNull();
      out.put(codec, v);
    }
    return out;
  }

  private static Path wav(Path dir) throws Exception {
    PcmAudio flac = AudioDecoder.decode(Fixtures.resource("pingus5-clip.flac"));
    assertThat(flac.sampleRate()).isEqualTo(44100);
    Path wav = dir.resolve("pingus5-clip.wav");
    Signals.writeWav16(wav, flac.sampleRate(), flac.samples());
    return wav;
  }

  private static double cos(float[] a, float[] b) {
    return Vectors.cosine(a, b);
  }

  private static double minCosine(List<float[]> a, List<float[]> b) {
    double min = 1;
    for (int e = 0; e < a.size(); e++) {
      min = Math.min(min, cos(a.get(e), b.get(e)));
    }
    return min;
  }

  @Test
  void everyFeatureGetsTheSameVectorsFromWavAndFlac(@TempDir Path dir) throws Exception {
    Path wav = wav(dir);
    for (FeatureConfig c : FeatureConfigs.all()) {
      Map<String, List<float[]>> v = vectors(c, wav);
      assertThat(minCosine(v.get("wav"), v.get("flac"))).as(c.name()).isGreaterThan(0.99999);
    }
  }

  @Test
  void theDefaultFeatureOfLossyCopies(@TempDir Path dir) throws Exception {
    Map<String, List<float[]>> v = vectors(FeatureConfigs.DEFAULT, wav(dir));
    // MP3 at 128 kb/s meets issue 25's 0.995 (measured 0.9999 here, 0.9976 at worst over six clips);
    // Ogg Vorbis q3 does not (0.9931 here, 0.9936 at worst over six): a ratchet, not the goal
    assertThat(minCosine(v.get("wav"), v.get("mp3"))).isGreaterThanOrEqualTo(0.995);
    assertThat(minCosine(v.get("wav"), v.get("ogg"))).isGreaterThanOrEqualTo(0.992);
    // every excerpt's nearest among the other versions' excerpts is the same place in another codec
    for (String codec : CODECS) {
      for (int e = 0; e < 3; e++) {
        String bestCodec = null;
        int bestPlace = -1;
        double best = -2;
        for (String other : CODECS) {
          if (other.equals(codec)) {
            continue;
          }
          for (int f = 0; f < 3; f++) {
            double s = cos(v.get(codec).get(e), v.get(other).get(f));
            if (s > best) {
              best = s;
              bestCodec = other;
              bestPlace = f;
            }
          }
        }
        assertThat(bestPlace).as("%s excerpt %d: nearest is %s excerpt %d", codec, e, bestCodec, bestPlace).isEqualTo(e);
      }
    }
  }
}
