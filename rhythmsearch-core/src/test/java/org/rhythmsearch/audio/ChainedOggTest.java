package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.testing.Fixtures;

/**
 * Issue 12, finding 8: a chained Ogg file ({@code cat a.ogg a.ogg}, RFC 3533 section 4) is decoded
 * whole. Before, it was silently cut to its first stream: decoding stopped at the length the last page
 * declares, which is the last chain's length only.
 */
class ChainedOggTest {

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} twice")
  @ValueSource(strings = {"click120.ogg", "click120.opus"})
  void aChainedFileDecodesAllItsChains(String name) throws IOException {
    Path one = Fixtures.resource(name);
    byte[] b = Files.readAllBytes(one);
    byte[] two = Arrays.copyOf(b, 2 * b.length);
    System.arraycopy(b, 0, two, b.length, b.length);
    Path chained = Files.write(tmp.resolve("chained-" + name), two);
    assertThat(AudioSniffer.chainedOgg(chained)).isTrue();
    assertThat(AudioSniffer.chainedOgg(one)).isFalse();

    float[] single = AudioDecoder.decode(one).samples();
    PcmAudio whole = AudioDecoder.decode(chained);
    int rate = whole.sampleRate();
    // each chain decodes whole; its end is not trimmed to its granule (at most one block of padding)
    assertThat(whole.length()).isBetween(2 * single.length, 2 * single.length + rate / 10);
    assertThat(Arrays.copyOf(whole.samples(), single.length)).as("the first chain as the file alone")
        .isEqualTo(single);
    double rmsFirst = rms(whole.samples(), 0, single.length);
    double rmsSecond = rms(whole.samples(), whole.length() - single.length, whole.length());
    assertThat(rmsSecond).as("the second chain holds the same music").isCloseTo(rmsFirst, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(AudioDecoder.probe(chained).hasDuration()).as("a chained file's length is not the last chain's").isFalse();
  }

  private static double rms(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) x[i] * x[i];
    }
    return Math.sqrt(s / (to - from));
  }
}
