package org.rhythmsearch.cli;

import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.rhythmsearch.features.ExcerptFigures;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.plot.ExcerptPlots;
import org.rhythmsearch.search.Similarity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch plot FILE --out PATH}: the study's figures for one excerpt, as PNG or SVG. */
@Command(name = "plot")
final class PlotCommand extends Cmd {

  @Parameters(index = "0", paramLabel = "FILE", description = "Audio file.")
  Path file;

  @Option(names = "--start", paramLabel = "S", defaultValue = "0",
      description = "Where the 10-s excerpt starts, seconds (default: ${DEFAULT-VALUE}).")
  double start;

  @CommandLine.Mixin Options.Feature featureOption;

  @Option(names = "--against", paramLabel = "FILE2",
      description = "Also overlay this file's descriptor with FILE's, scored as query scores them (FILE as the query): "
          + "when tempo alignment decides the score, FILE's descriptor is drawn rescaled to FILE2's tempo.")
  Path against;

  @Option(names = "--start2", paramLabel = "S",
      description = "Where FILE2's excerpt starts, seconds (default: as --start).")
  Double start2;

  @Option(names = "--out", required = true, paramLabel = "PATH",
      description = "Output file: .png or .svg.")
  Path out;

  @Option(names = "--size", paramLabel = "WxH", defaultValue = "640x400",
      description = "Size of each chart in pixels (default: ${DEFAULT-VALUE}).")
  String size;

  @CommandLine.Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @Override
  public Integer call() throws Exception {
    if (ExcerptPlots.Format.of(out).isEmpty()) {
      throw usage("--out must end in .png or .svg; --out=" + out);
    }
    if (!size.matches("\\d{2,5}x\\d{2,5}")) {
      throw usage("--size must be WIDTHxHEIGHT in pixels, e.g. 640x400; --size=" + size);
    }
    if (!(start >= 0) || (start2 != null && !(start2 >= 0))) {
      throw usage("--start and --start2 must be >= 0 seconds");
    }
    int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
    int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
    FeatureConfig feature = featureOption.orDefault();
    ExcerptFigures a = ExcerptFigures.of(feature, file, start);
    ExcerptFigures b = null;
    Similarity similarity = new Similarity(feature, Metric.COSINE, align.alignment(spec.commandLine()),
        VectorEncoding.DEFAULT); // scored as an index built now holds them

    Similarity.PairScore pair = null;
    if (against != null) {
      b = ExcerptFigures.of(feature, against, start2 != null ? start2 : start);
      if (a.descriptor() == null || b.descriptor() == null) {
        err().println("rhythmsearch: " + (a.descriptor() == null ? file : against) + ": the excerpt is silent: "
            + "no descriptor to compare");
        err().flush();
        return 1;
      }
      pair = similarity.pair(a.descriptor(), a.tempoBpm(), b.descriptor(), b.tempoBpm());
    }
    List<JFreeChart> charts = ExcerptPlots.figures(a, b, similarity);
    ExcerptPlots.write(charts, 2, w, h, out);
    info().printf("%s: %d charts of %s at %.1f s (feature %s; tempo %s)%s%n", out, charts.size(), file, start,
        feature.id(), a.tempoBpm() > 0 ? String.format("%.0f BPM", a.tempoBpm()) : "unknown",
        pair == null ? "" : String.format("; score against %s at %.1f s: %.4f %s", against,
            start2 != null ? start2 : start, pair.score(), ExcerptPlots.how(pair, a.tempoBpm(), b.tempoBpm(), similarity)));
    info().flush();
    return 0;
  }
}
