package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.testing.Signals;

/** A folder walk takes misnamed audio by its content, and nothing else. */
class AudioFilesWalkTest {

  @TempDir Path tmp;

  @Test
  void aFileWithMpegFrameSyncsButNoAudioHeaderIsNotTakenForAudio() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("pkg"));
    Signals.writeWav16(dir.resolve("track.bin"), 22050, Signals.clickTrack(100, 2, 22050, 0, 1));
    // an "image" whose bytes hold a run of well-formed MPEG-1 layer III frame headers (as compressed data can)
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    for (int i = 0; i < 30; i++) {
      b.write(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64});
      b.write(new byte[413]);
    }
    Files.write(dir.resolve("icon.png"), b.toByteArray());
    List<String> problems = new ArrayList<>();
    AudioFiles.Walk w = AudioFiles.walk(List.of(dir), problems::add);
    assertThat(w.files()).containsExactly(dir.resolve("track.bin"));
    assertThat(w.byContent()).containsExactly(dir.resolve("track.bin") + ": a WAV file under another name, read by its content");
    assertThat(w.skipped()).containsExactly(dir.resolve("icon.png") + ": not audio by its name or its first bytes");
    assertThat(problems).isEmpty();
  }
}
