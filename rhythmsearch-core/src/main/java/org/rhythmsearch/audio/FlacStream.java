package org.rhythmsearch.audio;

import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/**
 * FLAC decoded with jflac's {@link FLACDecoder} directly, frame by frame, to mono float samples. Two
 * ways jflac's frame search loops for ever were found by fuzzing, and are cut short here:
 * <ul>
 *   <li>Once it has decoded the number of samples STREAMINFO declares, its frame sync returns at once
 *       without reading; jflac's javax.sound stream then asks for another frame for ever. This stream
 *       ends there instead.</li>
 *   <li>At the end of the file its frame sync swallows the end-of-file and the frame header that follows
 *       fails, again and again. The input is read through {@link EndGuard}, which fails a read after
 *       the end with an error jflac does not swallow; that ends the stream.</li>
 * </ul>
 *
 * <p>Not thread-safe; one instance per stream.
 */
final class FlacStream implements MonoSource {

  private final InputStream in;
  private final FLACDecoder decoder;
  private final StreamInfo info;
  private final PcmConverter converter;
  private ByteData pcm;
  /** The current frame as mono samples: {@code decoded[at..count)} are still to hand out. */
  private float[] decoded = new float[0];
  private int at;
  private int count;

  FlacStream(InputStream in) throws IOException {
    this.in = in;
    this.decoder = new FLACDecoder(new EndGuard(in));
    decoder.readMetadata();
    this.info = decoder.getStreamInfo();
    if (info == null) {
      throw new IOException("FLAC stream has no STREAMINFO block");
    }
    this.converter = new PcmConverter(new AudioFormat(info.getSampleRate(), info.getBitsPerSample(),
        info.getChannels(), true, false));
  }

  int sampleRate() {
    return info.getSampleRate();
  }

  int channels() {
    return info.getChannels();
  }

  @Override
  public int read(float[] out, int off, int len) throws IOException {
    int written = 0;
    while (written < len) {
      if (at < count) {
        int n = Math.min(len - written, count - at);
        System.arraycopy(decoded, at, out, off + written, n);
        at += n;
        written += n;
        continue;
      }
      long total = info.getTotalSamples();
      if (decoder.isEOF() || (total > 0 && decoder.getSamplesDecoded() >= total)) {
        break; // past the declared total jflac would look for the next frame without reading: the end
      }
      Frame frame;
      try {
        frame = decoder.readNextFrame();
      } catch (EndGuard.PastEnd end) {
        break; // jflac read on after the end of the file: the end
      }
      if (frame == null) {
        break;
      }
      pcm = decoder.decodeFrame(frame, pcm);
      int frames = pcm.getLen() / converter.frameSize();
      if (decoded.length < frames) {
        decoded = new float[frames];
      }
      converter.toMono(pcm.getData(), frames, decoded, 0);
      at = 0;
      count = frames;
    }
    return written == 0 && len > 0 ? -1 : written;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** An input stream that, once it has answered "end", fails every further read with {@link PastEnd}. */
  static final class EndGuard extends java.io.FilterInputStream {
    /** A read after the end of the input. */
    static final class PastEnd extends IOException {
      private static final long serialVersionUID = 1L;

      PastEnd() {
        super("read past the end of the file");
      }
    }

    private boolean ended;

    EndGuard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      if (ended) {
        throw new PastEnd();
      }
      int b = super.read();
      ended = b < 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        throw new PastEnd();
      }
      int n = super.read(b, off, len);
      ended = n < 0;
      return n;
    }
  }
}
