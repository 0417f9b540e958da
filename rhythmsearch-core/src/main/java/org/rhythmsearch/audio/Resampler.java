package org.rhythmsearch.audio;

/**
 * Band-limited sample-rate conversion with a Kaiser-windowed sinc kernel, planned once per pair of
 * rates.
 *
 * <p>Design (see e.g. Smith, "Digital Audio Resampling", and Kaiser's window formulas in Oppenheim &
 * Schafer, 7.5.3): with F the lower of the two rates, the passband runs to {@value #PASSBAND_FRACTION}
 * × F/2 (9000 Hz when converting to 22050 Hz) and the stopband starts at F minus the passband edge,
 * so any alias lands above the passband; the kernel is designed for {@value #ATTENUATION_DB} dB
 * stopband attenuation, which also makes the passband ripple negligible (&lt; 0.001 dB). Aliases of
 * tones between F/2 and F − passband edge fall into the transition band (above 9 kHz at 22050 Hz),
 * attenuated less; rhythm features do not look there.
 *
 * <ul>
 *   <li>2:1 (44.1 kHz → 22.05 kHz, 96 → 48 kHz …): a half-band decimator that skips the kernel's
 *       zero taps and folds its symmetric ones (about 4× fewer multiplies).</li>
 *   <li>any other ratio: a polyphase filter with one exact phase per output position when the
 *       reduced ratio has at most {@value #MAX_EXACT_PHASES} phases (48 kHz → 22.05 kHz has 147),
 *       otherwise {@value #MAX_EXACT_PHASES} phases with linear interpolation between them.</li>
 * </ul>
 *
 * <p>Output sample {@code m} is the band-limited value of the input at time {@code m / toRate}
 * seconds; samples outside the given input are taken as zero.
 *
 * <p>Immutable; thread-safe.
 */
public final class Resampler {

  /** Passband edge as a fraction of the lower rate's Nyquist frequency (9000 / 11025). */
  public static final double PASSBAND_FRACTION = 9000.0 / 11025.0;
  /** Designed stopband attenuation, dB. */
  public static final double ATTENUATION_DB = 100.0;

  static final int MAX_EXACT_PHASES = 4096;

  private final int fromRate;
  private final int toRate;
  /** Reduced ratio: {@code toRate/fromRate = up/down}. */
  private final long up;
  private final long down;
  private final Kind kind;
  /** Half-band: coefficients of odd taps 1, 3, 5 … (index i ↔ tap 2i+1). */
  private final float[] halfBand;
  /** Polyphase: {@code phases (+1 when interpolating) × taps} coefficients, row-major. */
  private final float[] table;
  private final int taps;
  private final int phases;
  /** Polyphase: taps left of the output position, i.e. the first tap reads x[base - halfTaps + 1]. */
  private final int halfTaps;

  private enum Kind { IDENTITY, HALF_BAND, POLYPHASE }

  /**
   * Whether the half-band filter runs on the Vector API ({@link HalfBandSimd}: the same floats, about a
   * third of the time): when the {@code jdk.incubator.vector} module is present and {@code
   * rhythmsearch.simd} is not {@code false}.
   */
  static final boolean SIMD = simd();

  private static boolean simd() {
    if (!Boolean.parseBoolean(System.getProperty("rhythmsearch.simd", "true"))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      float[] out = new float[1];
      HalfBandSimd.run(new float[] {1f}, new float[] {0f, 0f, 0f}, 1, 1, out, 0); // loads the class
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  private Resampler(int fromRate, int toRate, boolean forcePolyphase) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    long g = gcd(fromRate, toRate);
    up = toRate / g;
    down = fromRate / g;
    double lower = Math.min(fromRate, toRate);
    double passEdge = PASSBAND_FRACTION * lower / 2;
    double transitionHz = lower - 2 * passEdge;
    double cutoff = 0.5 * lower / fromRate; // cycles per input sample, = (pass + stop) / 2
    double beta = 0.1102 * (ATTENUATION_DB - 8.7);
    // Kaiser: N - 1 = (A - 7.95) / (2.285 * dOmega), dOmega in rad per input sample
    double length = (ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transitionHz / fromRate) + 1;
    double halfLen = length / 2;
    if (up == 1 && down == 1) {
      kind = Kind.IDENTITY;
      halfBand = null;
      table = null;
      taps = phases = halfTaps = 0;
    } else if (up == 1 && down == 2 && !forcePolyphase) {
      kind = Kind.HALF_BAND;
      int odd = (int) Math.ceil((halfLen - 1) / 2); // odd taps 1, 3, … < halfLen
      halfBand = new float[odd];
      for (int i = 0; i < odd; i++) {
        halfBand[i] = (float) kernel(2 * i + 1, cutoff, halfLen, beta);
      }
      table = null;
      taps = phases = halfTaps = 0;
    } else {
      kind = Kind.POLYPHASE;
      halfBand = null;
      halfTaps = (int) Math.ceil(halfLen);
      taps = 2 * halfTaps;
      boolean exact = up <= MAX_EXACT_PHASES;
      phases = exact ? (int) up : MAX_EXACT_PHASES;
      int rows = exact ? phases : phases + 1;
      table = new float[rows * taps];
      for (int p = 0; p < rows; p++) {
        double frac = p / (double) phases;
        for (int j = 0; j < taps; j++) {
          // tap j reads x[base - halfTaps + 1 + j]; its distance from the output time is:
          double tau = frac + halfTaps - 1 - j;
          table[p * taps + j] = (float) kernel(tau, cutoff, halfLen, beta);
        }
      }
    }
  }

  /**
   * Plans a converter.
   *
   * @param fromRate input sample rate in Hz, positive
   * @param toRate output sample rate in Hz, positive
   */
  public static Resampler create(int fromRate, int toRate) {
    if (fromRate <= 0) {
      throw new IllegalArgumentException("fromRate must be positive; fromRate=" + fromRate);
    }
    if (toRate <= 0) {
      throw new IllegalArgumentException("toRate must be positive; toRate=" + toRate);
    }
    return new Resampler(fromRate, toRate, false);
  }

  /** The general polyphase path even for 2:1 (to cross-check the half-band path in tests). */
  static Resampler createPolyphase(int fromRate, int toRate) {
    return new Resampler(fromRate, toRate, true);
  }

  /** Input sample rate, Hz. */
  public int fromRate() {
    return fromRate;
  }

  /** Output sample rate, Hz. */
  public int toRate() {
    return toRate;
  }

  /** Number of output samples for {@code inputLength} input samples: ceil(n · to / from). */
  public long outputLength(long inputLength) {
    return (inputLength * up + down - 1) / down;
  }

  /** Converts a whole signal. */
  public PcmAudio resample(PcmAudio in) {
    if (in.sampleRate() != fromRate) {
      throw new IllegalArgumentException(
          "input sample rate " + in.sampleRate() + " Hz does not match this resampler's " + fromRate + " Hz");
    }
    return new PcmAudio(resample(in.samples()), toRate);
  }

  /** Converts a whole signal starting at time 0. */
  public float[] resample(float[] in) {
    long n = outputLength(in.length);
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("output too long: " + n + " samples");
    }
    return process(in, 0, 0, (int) n);
  }

  /**
   * Computes output samples {@code [outStart, outStart + outCount)} of the global output grid from
   * an input array that holds global input samples {@code [inStart, inStart + in.length)}; input
   * outside that span reads as zero. Used to convert a time range of a longer signal identically to
   * converting the whole signal, provided the span covers the kernel's support.
   */
  public float[] process(float[] in, long inStart, long outStart, int outCount) {
    if (outCount < 0) {
      throw new IllegalArgumentException("outCount must be >= 0; outCount=" + outCount);
    }
    float[] out = new float[outCount];
    process(in, in.length, inStart, outStart, out, 0, outCount);
    return out;
  }

  /**
   * As {@link #process(float[], long, long, int)}, from the first {@code inLength} samples of {@code in}
   * into {@code out[outOff .. outOff + outCount)}: the streaming form ({@link AudioStream}), which
   * gives the same samples as converting the whole signal when the span covers each output's kernel.
   */
  void process(float[] in, int inLength, long inStart, long outStart, float[] out, int outOff, int outCount) {
    process(in, inLength, inStart, outStart, out, outOff, outCount, SIMD);
  }

  /** As {@link #process(float[], int, long, long, float[], int, int)}, the half-band filter on the Vector API or not. */
  void process(float[] in, int inLength, long inStart, long outStart, float[] out, int outOff, int outCount,
      boolean simd) {
    switch (kind) {
      case IDENTITY -> {
        for (int m = 0; m < outCount; m++) {
          long n = outStart + m - inStart;
          out[outOff + m] = n >= 0 && n < inLength ? in[(int) n] : 0f;
        }
      }
      case HALF_BAND -> halfBand(in, inLength, inStart, outStart, out, outOff, outCount, simd);
      case POLYPHASE -> polyphase(in, inLength, inStart, outStart, out, outOff, outCount);
      default -> throw new IllegalStateException();
    }
  }

  /** The kernel's reach in input samples on each side of an output position. */
  public int supportInputSamples() {
    return switch (kind) {
      case IDENTITY -> 0;
      case HALF_BAND -> 2 * halfBand.length;
      case POLYPHASE -> halfTaps + 1;
    };
  }

  private void halfBand(float[] in, int inLength, long inStart, long outStart, float[] out, int outOff, int outCount,
      boolean simd) {
    float[] h = halfBand;
    int reach = 2 * h.length - 1;
    int simdFrom = 0;
    int simdTo = 0;
    if (simd && SIMD) { // the outputs whose taps all lie inside the input, as many as fill whole vectors
      long first = Math.floorDiv(inStart + reach + 1, 2) - outStart; // centre >= reach
      long last = Math.floorDiv(inStart + inLength - 1 - reach, 2) - outStart; // centre + reach < inLength
      simdFrom = (int) Math.max(0, Math.min(outCount, first));
      int span = (int) Math.max(0, Math.min(outCount, last + 1) - simdFrom);
      if (span > 0) {
        int c0 = (int) (2 * (outStart + simdFrom) - inStart);
        simdTo = simdFrom + HalfBandSimd.run(h, in, c0, span, out, outOff + simdFrom);
      }
    }
    for (int m = 0; m < outCount; m++) {
      if (m == simdFrom && simdTo > simdFrom) {
        m = simdTo - 1;
        continue;
      }
      long center = 2 * (outStart + m) - inStart;
      if (center - reach >= 0 && center + reach < inLength) {
        int c = (int) center;
        float acc0 = 0.5f * in[c];
        float acc1 = 0f;
        int i = 0;
        for (; i + 1 < h.length; i += 2) {
          int k = 2 * i + 1;
          acc0 += h[i] * (in[c - k] + in[c + k]);
          acc1 += h[i + 1] * (in[c - k - 2] + in[c + k + 2]);
        }
        for (; i < h.length; i++) {
          int k = 2 * i + 1;
          acc0 += h[i] * (in[c - k] + in[c + k]);
        }
        out[outOff + m] = acc0 + acc1;
      } else {
        float acc = 0.5f * at(in, inLength, center);
        for (int i = 0; i < h.length; i++) {
          int k = 2 * i + 1;
          acc += h[i] * (at(in, inLength, center - k) + at(in, inLength, center + k));
        }
        out[outOff + m] = acc;
      }
    }
  }

  private void polyphase(float[] in, int inLength, long inStart, long outStart, float[] out, int outOff, int outCount) {
    boolean exact = table.length == phases * taps;
    float[] blended = exact ? null : new float[taps];
    for (int m = 0; m < outCount; m++) {
      long num = (outStart + m) * down; // input position = num / up
      long base = Math.floorDiv(num, up);
      long rem = num - base * up;
      float[] coef = table;
      int row;
      if (exact) {
        row = (int) rem * taps;
      } else {
        double pos = rem / (double) up * phases;
        int p = (int) pos;
        float a = (float) (pos - p);
        int r0 = p * taps;
        int r1 = r0 + taps;
        for (int j = 0; j < taps; j++) {
          blended[j] = table[r0 + j] + a * (table[r1 + j] - table[r0 + j]);
        }
        coef = blended;
        row = 0;
      }
      long first = base - halfTaps + 1 - inStart;
      if (first >= 0 && first + taps <= inLength) {
        int f = (int) first;
        float acc0 = 0f;
        float acc1 = 0f;
        int j = 0;
        for (; j + 1 < taps; j += 2) {
          acc0 += coef[row + j] * in[f + j];
          acc1 += coef[row + j + 1] * in[f + j + 1];
        }
        for (; j < taps; j++) {
          acc0 += coef[row + j] * in[f + j];
        }
        out[outOff + m] = acc0 + acc1;
      } else {
        float acc = 0f;
        for (int j = 0; j < taps; j++) {
          acc += coef[row + j] * at(in, inLength, first + j);
        }
        out[outOff + m] = acc;
      }
    }
  }

  private static float at(float[] in, int inLength, long i) {
    return i >= 0 && i < inLength ? in[(int) i] : 0f;
  }

  /** Windowed-sinc kernel at distance {@code tau} input samples; unit DC gain. */
  private static double kernel(double tau, double cutoff, double halfLen, double beta) {
    double x = tau / halfLen;
    if (Math.abs(x) >= 1) {
      return 0;
    }
    double arg = 2 * cutoff * tau;
    double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
    return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - x * x)) / besselI0(beta);
  }

  /** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public String toString() {
    return "Resampler[" + fromRate + " Hz -> " + toRate + " Hz, " + kind + "]";
  }
}
