package org.rhythmsearch.http;

import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.jfree.chart.JFreeChart;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioDecoder;
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.PcmAudio;
import org.rhythmsearch.features.ExcerptFigures;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.plot.ExcerptPlots;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.store.TrackRecord;

/**
 * What the page plays and shows: {@code GET /api/tracks/{id}/audio} and {@code GET
 * /api/uploads/{token}/audio} (an excerpt as WAV, decoded by our decoder, with Range support), and
 * {@code GET /api/plot} (the figures of {@code rhythmsearch plot} as PNG or SVG). Files are reached
 * only through track ids of the index and upload tokens.
 *
 * <p>Thread-safe: each request reads one {@link LiveIndex.Loaded} state.
 */
final class MediaEndpoints {

  /** Longest excerpt {@code /audio} serves, seconds. */
  static final double MAX_AUDIO_SECONDS = 60;

  private final LiveIndex live;
  private final Uploads uploads;
  private final Workers workers;

  MediaEndpoints(LiveIndex live, Uploads uploads, Workers workers) {
    this.live = live;
    this.uploads = uploads;
    this.workers = workers;
  }

  void trackAudio(Context ctx) throws Exception {
    TrackRecord t = live.current().track(Params.parseId("id", ctx.pathParam("id")));
    audio(ctx, Path.of(t.path()), "track " + t.id());
  }

  void uploadAudio(Context ctx) throws Exception {
    Uploads.Upload u = upload("token", ctx.pathParam("token"));
    audio(ctx, u.file(), u.name());
  }

  private Uploads.Upload upload(String param, String token) {
    if (!token.matches("[0-9a-f]{32}")) {
      throw ApiError.badParameter(param, "must be the 32 hex digits a query with an upload returned", token);
    }
    return uploads.get(token).orElseThrow(() -> ApiError.notFound("upload " + token
        + ": no such upload (uploads are kept for the last 32 queries of this server run)"));
  }

  private void audio(Context ctx, Path file, String what) throws Exception {
    Params p = Params.of(Params.first(ctx.queryParamMap()), Set.of("start", "seconds"));
    double start = p.number("start", 0, 0, 7 * 24 * 3600, false);
    double seconds = p.number("seconds", 10, 0.1, MAX_AUDIO_SECONDS, false);
    requireFile(file, what);
    byte[] wav = workers.timed(() -> {
      try {
        return wav(file, start, seconds);
      } catch (AudioDecodeException e) {
        throw ApiError.decoding(e, file, what, "start", start);
      }
    });
    // with Range requests answered, so the page can seek
    ctx.writeSeekableStream(new ByteArrayInputStream(wav), "audio/wav", wav.length);
  }

  /** {@code seconds} of {@code file} from {@code start} as mono 16-bit WAV at the file's rate (at most 48 kHz). */
  static byte[] wav(Path file, double start, double seconds) throws AudioDecodeException {
    int rate = Math.min(48000, AudioDecoder.probe(file).sampleRate());
    PcmAudio pcm = new AudioLoader(rate).load(file, start, seconds);
    float[] s = pcm.samples();
    byte[] pcm16 = new byte[2 * s.length];
    for (int i = 0; i < s.length; i++) {
      int v = Math.round(Math.max(-1f, Math.min(1f, s[i])) * 32767f);
      pcm16[2 * i] = (byte) v;
      pcm16[2 * i + 1] = (byte) (v >> 8);
    }
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream(pcm16.length + 64);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm16), format, s.length)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  void plot(Context ctx) throws Exception {
    Params p = Params.of(Params.first(ctx.queryParamMap()),
        Set.of("track", "upload", "start", "against", "start2", "view", "format", "size", "tempoAlign", "tempoMargin"));
    Similarity similarity = new Similarity(live.current().snapshot().config(), Metric.COSINE, QueryEndpoint.alignment(p),
        live.current().snapshot().vectors().encoding());
    LiveIndex.Loaded l = live.current();
    if (p.has("track") == p.has("upload")) {
      throw new ApiError(400, "track, upload: give exactly one of them (a track id, or the token of an upload)");
    }
    Path a;
    String aName;
    if (p.has("track")) {
      TrackRecord t = l.track(p.id("track", true));
      a = Path.of(t.path());
      aName = "track " + t.id();
    } else {
      Uploads.Upload u = upload("upload", p.string("upload", ""));
      a = u.file();
      aName = u.name();
    }
    requireFile(a, aName);
    double start = p.number("start", 0, 0, 7 * 24 * 3600, false);
    TrackRecord against = p.has("against") ? l.track(p.id("against", false)) : null;
    double start2 = p.number("start2", start, 0, 7 * 24 * 3600, false);
    String view = p.string("view", against == null ? "all" : "pair");
    if (!view.equals("all") && !view.equals("pair")) {
      throw ApiError.badParameter("view", "must be all or pair", view);
    }
    if (view.equals("pair") && against == null) {
      throw new ApiError(400, "view: pair needs against (the track to compare with)");
    }
    String format = p.string("format", "png");
    ExcerptPlots.Format f = switch (format) {
      case "png" -> ExcerptPlots.Format.PNG;
      case "svg" -> ExcerptPlots.Format.SVG;
      default -> throw ApiError.badParameter("format", "must be png or svg", format);
    };
    String size = p.string("size", "640x400");
    if (!size.matches("\\d{3,4}x\\d{3,4}")) {
      throw ApiError.badParameter("size", "must be WIDTHxHEIGHT, each 100 to 9999 pixels", size);
    }
    int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
    int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
    if (against != null) {
      requireFile(Path.of(against.path()), "track " + against.id());
    }
    Similarity.PairScore[] pair = new Similarity.PairScore[1];
    byte[] image = workers.timed(() -> {
      ExcerptFigures fa;
      ExcerptFigures fb = null;
      try {
        fa = ExcerptFigures.of(l.snapshot().config(), a, start);
      } catch (AudioDecodeException e) {
        throw ApiError.decoding(e, a, aName, "start", start);
      }
      if (against != null) {
        try {
          fb = ExcerptFigures.of(l.snapshot().config(), Path.of(against.path()), start2);
        } catch (AudioDecodeException e) {
          throw ApiError.decoding(e, Path.of(against.path()), "track " + against.id(), "start2", start2);
        }
        if (fa.descriptor() == null || fb.descriptor() == null) {
          throw new ApiError(422, (fa.descriptor() == null ? aName : "track " + against.id())
              + ": the excerpt is silent: no descriptor to compare");
        }
        pair[0] = similarity.pair(fa.descriptor(), fa.tempoBpm(), fb.descriptor(), fb.tempoBpm());
      }
      List<JFreeChart> charts = view.equals("pair") ? List.of(ExcerptPlots.compare(fa, fb, similarity))
          : ExcerptPlots.figures(fa, fb, similarity);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ExcerptPlots.write(charts, 2, w, h, f, out);
      return out.toByteArray();
    });
    if (pair[0] != null) { // the pair's score as query reports it, for clients that do not read the picture
      ctx.header("X-RhythmSearch-Pair-Score", Double.toString(pair[0].score()));
      ctx.header("X-RhythmSearch-Pair-Aligned", Boolean.toString(pair[0].aligned()));
      ctx.header("X-RhythmSearch-Pair-Factor", Double.toString(pair[0].factor()));
    }
    ctx.status(200).contentType(f.mediaType()).result(image);
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw ApiError.notFound(what + ": its audio file is no longer at " + file);
    }
  }
}
