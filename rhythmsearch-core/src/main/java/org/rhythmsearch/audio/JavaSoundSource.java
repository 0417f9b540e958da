package org.rhythmsearch.audio;

import java.io.IOException;
import javax.sound.sampled.AudioInputStream;

/** A javax.sound PCM stream (possibly a plug-in's decoder) as mono floats. Not thread-safe. */
final class JavaSoundSource implements MonoSource {

  /** Bytes of one read at most (a header may declare thousands of channels: frames are capped by bytes). */
  private static final int BUFFER_BYTES = 1 << 18;

  private final AudioInputStream pcm;
  private final AutoCloseable underlying;
  private final PcmConverter converter;
  private final byte[] buf;
  /** Bytes of an incomplete frame kept at the start of {@link #buf} from the previous read. */
  private int carry;

  JavaSoundSource(AudioInputStream pcm, AutoCloseable underlying) throws IOException {
    this.pcm = pcm;
    this.underlying = underlying;
    this.converter = new PcmConverter(pcm.getFormat());
    if (converter.frameSize() > BUFFER_BYTES) { // e.g. a header declaring a billion channels
      throw new IOException("a frame of " + converter.frameSize() + " bytes (" + pcm.getFormat().getChannels()
          + " channels) is not a usable header");
    }
    this.buf = new byte[BUFFER_BYTES - BUFFER_BYTES % converter.frameSize()];
  }

  /**
   * {@inheritDoc} A stream that stops making progress (javax.sound answers 0 when asked for less than
   * one of its frames, which a corrupt header can cause) ends here instead of being asked for ever.
   */
  @Override
  public int read(float[] out, int off, int len) throws IOException {
    int frameSize = converter.frameSize();
    int want = (int) Math.min((long) len * frameSize, buf.length);
    int total = carry + PcmConverter.fill(pcm, buf, carry, want);
    int frames = total / frameSize;
    if (frames == 0) {
      carry = 0;
      return -1;
    }
    converter.toMono(buf, frames, out, off);
    carry = total - frames * frameSize; // a partial frame waits for the rest of its bytes
    System.arraycopy(buf, frames * frameSize, buf, 0, carry);
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
