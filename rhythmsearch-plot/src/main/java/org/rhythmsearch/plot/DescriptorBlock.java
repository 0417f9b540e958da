package org.rhythmsearch.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.data.xy.XYSeries;
import org.rhythmsearch.features.FeatureConfig;

/**
 * One lag-indexed block of a descriptor: where it lies in the vector, its first lag and its name on
 * a chart.
 */
record DescriptorBlock(String name, int offset, int firstLag, int length, double secondsPerLag) {

  /**
   * The blocks of {@code config}'s vectors in order (band 1 is the lowest mel sub-band); none when
   * they are not lag-indexed.
   */
  static List<DescriptorBlock> of(FeatureConfig config) {
    if (!config.lagIndexed()) {
      return List.of();
    }
    int[][] layout = config.lagBlocks();
    List<DescriptorBlock> out = new ArrayList<>();
    int bands = (int) Arrays.stream(layout).filter(b -> b[0] != 0).count();
    int offset = 0;
    for (int i = 0; i < layout.length; i++) {
      boolean beat = layout[i][0] == 0;
      String name = beat ? "beat spectrum" : "band " + (i + 1) + (bands > 1 && i == 0 ? " (low)"
          : bands > 1 && i == bands - 1 ? " (high)" : "");
      out.add(new DescriptorBlock(name, offset, layout[i][0], layout[i][1], config.secondsPerLag()));
      offset += layout[i][1];
    }
    return out;
  }

  /** This block's values of {@code v} over lag (s). */
  XYSeries series(String key, float[] v) {
    XYSeries s = new XYSeries(key, false, false);
    for (int j = 0; j < length; j++) {
      s.add((firstLag + j) * secondsPerLag, v[offset + j]);
    }
    return s;
  }
}
