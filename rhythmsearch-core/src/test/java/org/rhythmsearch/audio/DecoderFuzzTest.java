package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the container sniffer and of every decoder (Jazzer). In a normal test
 * run each target replays its committed inputs ({@code DecoderFuzzTestInputs/<target>/}: a small valid
 * file of its format plus every input a fuzzing run found worth keeping); with {@code JAZZER_FUZZ=1}
 * one target is fuzzed (see {@code scripts/fuzz.sh}).
 *
 * <p>The oracle: any byte string either decodes to finite samples at a positive rate, or fails with
 * one {@link AudioDecodeException} naming the file; never another exception, a hang or unbounded
 * memory. Each decoder gets its own target so that its seed keeps the fuzzer inside that format.
 */
class DecoderFuzzTest {

  /** Decoding stops here: a few bytes of FLAC or Vorbis may legally describe hours of audio. */
  private static final double MAX_SECONDS = 5;

  private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
    try {
      Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
      Path f = Files.createTempFile(dir, "rhythmsearch-fuzz-", ".bin");
      f.toFile().deleteOnExit();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  });

  /** Writes the input to this thread's scratch file (the decoders read files). */
  static Path file(byte[] data) throws IOException {
    return Files.write(FILE.get(), data);
  }

  @FuzzTest(maxDuration = "30s")
  void sniffer(byte[] data) throws IOException {
    Path f = file(data);
    try {
      SniffedFile s = AudioSniffer.sniff(f);
      assertThat(s.container()).isNotNull();
    } catch (AudioDecodeException e) {
      checkTyped(e, f);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void wav(byte[] data) throws IOException {
    decode(data);
  }

  @FuzzTest(maxDuration = "30s")
  void aiffAndAu(byte[] data) throws IOException {
    decode(data);
  }

  @FuzzTest(maxDuration = "30s")
  void vorbis(byte[] data) throws IOException {
    decode(data);
  }

  @FuzzTest(maxDuration = "30s")
  void opus(byte[] data) throws IOException {
    decode(data);
  }

  @FuzzTest(maxDuration = "30s")
  void mp3(byte[] data) throws IOException {
    decode(data);
  }

  @FuzzTest(maxDuration = "30s")
  void flac(byte[] data) throws IOException {
    decode(data);
  }

  private static void decode(byte[] data) throws IOException {
    Path f = file(data);
    try {
      AudioInfo info = AudioDecoder.probe(f);
      assertThat(info.sampleRate()).isBetween(AudioDecoder.MIN_RATE, AudioDecoder.MAX_RATE);
      PcmAudio pcm = AudioDecoder.decode(f, 0, MAX_SECONDS);
      assertThat(pcm.sampleRate()).isEqualTo(info.sampleRate());
      assertThat((long) pcm.length()).isPositive().isLessThanOrEqualTo((long) Math.ceil(MAX_SECONDS * pcm.sampleRate()) + 1);
      for (float v : pcm.samples()) {
        if (!Float.isFinite(v)) {
          throw new AssertionError("a decoded sample is not finite: " + v);
        }
      }
    } catch (AudioDecodeException e) {
      checkTyped(e, f);
    }
  }

  private static void checkTyped(AudioDecodeException e, Path f) {
    assertThat(e.file()).isEqualTo(f);
    assertThat(e.reason()).isNotNull();
    assertThat(e.getMessage()).startsWith(f + ": ").doesNotContain("\n");
  }
}
