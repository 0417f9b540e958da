package org.rhythmsearch.audio;

import java.io.IOException;
import javax.sound.sampled.AudioInputStream;

/** A javax.sound PCM stream (possibly a plug-in's decoder) as mono floats. Not thread-safe. */
final class JavaSoundSource implements MonoSource {

  private static final int BUFFER_FRAMES = 16 * 1024;

  private final AudioInputStream pcm;
  private final AutoCloseable underlying;
  private final PcmConverter converter;
  private final byte[] buf;

  JavaSoundSource(AudioInputStream pcm, AutoCloseable underlying) {
    this.pcm = pcm;
    this.underlying = underlying;
    this.converter = new PcmConverter(pcm.getFormat());
    this.buf = new byte[BUFFER_FRAMES * converter.frameSize()];
  }

  @Override
  public int read(float[] out, int off, int len) throws IOException {
    int frameSize = converter.frameSize();
    int total = PcmConverter.fill(pcm, buf, Math.min(len, BUFFER_FRAMES) * frameSize);
    int frames = total / frameSize;
    if (frames == 0) {
      return -1;
    }
    converter.toMono(buf, frames, out, off);
    return frames;
  }

  @Override
  public void close() throws IOException {
    try {
      pcm.close();
    } finally {
      if (underlying != null && underlying != pcm) {
        try {
          underlying.close();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }
  }
}
