package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, finding 10: a FIFO as input hung for ever; a folder given as a file is named as such. */
class NonRegularInputTest {

  @TempDir Path tmp;

  @Test
  void aFifoIsRefusedAtOnceWithoutWaitingForAWriter() throws Exception {
    Path fifo = tmp.resolve("pipe.wav");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mk.waitFor()).as("mkfifo").isZero();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> AudioDecoder.decode(fifo)).isInstanceOf(AudioDecodeException.class)
            .hasMessage(fifo + ": cannot read file (not a regular file (a pipe, FIFO or device); save the audio to a "
                + "file first)"));
    assertThatThrownBy(() -> AudioDecoder.probe(tmp)).isInstanceOf(AudioDecodeException.class)
        .hasMessage(tmp + ": cannot read file (a folder, not an audio file)");
  }

  @Test
  void aNewlineInAFileNameKeepsTheErrorOnOneLine() throws Exception {
    Path odd = java.nio.file.Files.writeString(tmp.resolve("two\nlines.wav"), "not audio at all, only text");
    assertThatThrownBy(() -> AudioDecoder.decode(odd)).isInstanceOf(AudioDecodeException.class)
        .hasMessage(tmp + "/two\\nlines.wav: not a recognised audio file (no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 "
            + "header found)")
        .hasMessageNotContaining("\n");
  }
}
