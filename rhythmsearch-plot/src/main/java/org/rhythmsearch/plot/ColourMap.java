package org.rhythmsearch.plot;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A colour map over a value range, as a JFreeChart {@link PaintScale}: the value's place between
 * {@code low} and {@code high} picks a colour by linear interpolation between evenly spaced stops.
 * {@link #sequential} (dark blue to yellow, perceptually ordered, readable in grey) for magnitudes,
 * {@link #diverging} (blue, white at zero, red) for signed values. Values outside the range take the end
 * colours; NaN takes {@link #NONE}.
 *
 * <p>Immutable; thread-safe.
 */
final class ColourMap implements PaintScale {

  /** The colour of a cell with no value (NaN). */
  static final Color NONE = new Color(235, 235, 235);

  // Stops sampled from the published viridis map (van der Walt & Smith, 2015) and ColorBrewer's RdBu.
  private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
      0x6ece58, 0xb5de2b, 0xfde725};
  private static final int[] RED_BLUE = {0x2166ac, 0x67a9cf, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xef8a62, 0xb2182b};

  private final double low;
  private final double high;
  private final int[] stops;

  private ColourMap(double low, double high, int[] stops) {
    if (!(high > low)) {
      throw new IllegalArgumentException("a colour map needs low < high; low=" + low + ", high=" + high);
    }
    this.low = low;
    this.high = high;
    this.stops = stops;
  }

  /** Dark blue at {@code low} through green to yellow at {@code high}. */
  static ColourMap sequential(double low, double high) {
    return new ColourMap(low, high, VIRIDIS);
  }

  /** Blue at {@code -limit}, white at 0, red at {@code +limit}. */
  static ColourMap diverging(double limit) {
    return new ColourMap(-limit, limit, RED_BLUE);
  }

  @Override
  public double getLowerBound() {
    return low;
  }

  @Override
  public double getUpperBound() {
    return high;
  }

  @Override
  public Paint getPaint(double value) {
    return colour(value);
  }

  /** The colour of {@code value}. */
  Color colour(double value) {
    if (Double.isNaN(value)) {
      return NONE;
    }
    double t = Math.min(1, Math.max(0, (value - low) / (high - low))) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) t);
    double f = t - i;
    int a = stops[i];
    int b = stops[i + 1];
    return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
  }
}
