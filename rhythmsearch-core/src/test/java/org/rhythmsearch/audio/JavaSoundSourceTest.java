package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, found by fuzzing the AIFF/AU decoder: a javax.sound stream that answers 0 (it does when asked
 * for less than one of its frames, which a corrupt header can cause) used to be asked again for ever.
 */
class JavaSoundSourceTest {

  static final AudioFormat STEREO16 = new AudioFormat(8000, 16, 2, true, false);

  /** A stream that hands out at most {@code step} bytes per read, or only 0 when {@code step} is 0. */
  static AudioInputStream stream(byte[] data, int step) {
    return new AudioInputStream(new ByteArrayInputStream(data), STEREO16, data.length / 4) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (step == 0) {
          return 0;
        }
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  static float[] readAll(MonoSource s) throws IOException {
    float[] out = new float[100_000];
    int n = 0;
    for (int r; (r = s.read(out, n, Math.min(1000, out.length - n))) > 0; ) {
      n += r;
    }
    return Arrays.copyOf(out, n);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aStreamThatStopsMakingProgressEndsInsteadOfSpinning() throws IOException {
    byte[] data = new byte[4000];
    MonoSource s = new JavaSoundSource(stream(data, 0), null);
    assertThat(s.read(new float[100], 0, 100)).isEqualTo(-1);
  }

  @Test
  void partialFramesAreKeptForTheNextRead() throws IOException {
    byte[] data = new byte[4 * 5000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37 + (i >> 3));
    }
    float[] whole = readAll(new JavaSoundSource(stream(data, data.length), null));
    float[] oddReads = readAll(new JavaSoundSource(stream(data, 7), null)); // 7 bytes: frames split across reads
    assertThat(whole).hasSize(5000);
    assertThat(oddReads).isEqualTo(whole);
  }
}
