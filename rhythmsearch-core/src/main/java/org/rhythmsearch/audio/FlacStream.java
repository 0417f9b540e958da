package org.rhythmsearch.audio;

import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/**
 * FLAC decoded with jflac's {@link FLACDecoder} directly, frame by frame, to mono float samples. Used
 * instead of jflac's javax.sound stream, which asks the decoder for another frame for ever once the
 * decoder has decoded the number of samples STREAMINFO declares but the file goes on (the decoder then
 * returns at once without reading, found by fuzzing): here the stream ends there.
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
    this.decoder = new FLACDecoder(in);
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
      Frame frame = decoder.readNextFrame();
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
}
