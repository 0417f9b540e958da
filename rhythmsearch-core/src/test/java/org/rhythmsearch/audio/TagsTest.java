package org.rhythmsearch.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 26, point 3: title, artist and album from the tags of every format that has them. The fixtures
 * in {@code tags/} were written by ffmpeg 5 ({@code -metadata title=... artist=... album=...}; ID3v1
 * appended by hand), so the expected values come from another program's writer.
 */
class TagsTest {

  @TempDir Path tmp;

  private Path fixture(String name) throws IOException {
    Path p = tmp.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("tags/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tagged.ogg", "tagged.opus", "tagged.flac", "tagged-id3v23.mp3", "tagged-id3v24.mp3",
      "tagged.wav"})
  void eachFormatsTagsGiveTitleArtistAndAlbum(String name) throws Exception {
    Path f = fixture(name);
    assertThat(Tags.read(f)).isEqualTo(new Tags("Chaos Gód", "Muldjord", "Frets on Fire"));
    assertThat(Tags.read(f).display()).isEqualTo("Muldjord - Chaos Gód");
  }

  @Test
  void id3v1AtTheEndIsReadWhenThereIsNoId3v2() throws Exception {
    assertThat(Tags.read(fixture("tagged-id3v1.mp3"))).isEqualTo(new Tags("Only V1", "Old Player", "Nineties"));
  }

  @Test
  void aValueIsOneLineOfTextAndAFileWithoutTagsHasNone() throws Exception {
    Tags t = Tags.read(fixture("newline.ogg"));
    assertThat(t.title()).isEqualTo("Line one Line two");
    assertThat(t.display()).as("no artist: the title alone").isEqualTo("Line one Line two");
    assertThat(new Tags("x".repeat(500), " ", null)).isEqualTo(new Tags("x".repeat(Tags.MAX_LENGTH), null, null));

    Path wav = tmp.resolve("plain.wav");
    org.rhythmsearch.testing.Signals.writeWav16(wav, 8000, new float[8000]);
    assertThat(Tags.read(wav)).isEqualTo(Tags.NONE);
    assertThat(Tags.NONE.display()).isNull();
  }

  @Test
  void damagedOrCutTagsGiveNoneOrWhatIsWholeAndNeverThrow() throws Exception {
    byte[] mp3 = Files.readAllBytes(fixture("tagged-id3v24.mp3"));
    for (int cut = 0; cut < 200; cut += 7) {
      Path f = tmp.resolve("cut" + cut + ".mp3");
      Files.write(f, java.util.Arrays.copyOf(mp3, cut));
      Tags t = Tags.read(f);
      assertThat(t.title() == null || "Chaos Gód".startsWith(t.title())).as("cut at %d: %s", cut, t).isTrue();
    }
    Path junk = tmp.resolve("junk.flac");
    Files.write(junk, ByteBuffer.allocate(64).put("fLaC".getBytes(StandardCharsets.US_ASCII)).put((byte) 0x84)
        .put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}).order(ByteOrder.LITTLE_ENDIAN).array());
    assertThat(Tags.read(junk)).isEqualTo(Tags.NONE);
    assertThat(Tags.read(tmp.resolve("missing.ogg"))).isEqualTo(Tags.NONE);
  }
}
