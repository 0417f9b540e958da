package org.rhythmsearch.features;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A learned linear map from a descriptor to fewer, whitened dimensions: the descriptor minus the
 * training mean, onto the {@code outputDim} principal axes of the training excerpts, each axis divided
 * by √(λ<sub>i</sub> + shrink · mean λ) (λ its variance, the mean over the kept axes), then
 * unit-normalised. Whitening gives the many weak directions in which rhythms differ the weight that the
 * few strong ones shared by almost all excerpts (the slow decay of every beat spectrum, the common
 * onset rate) otherwise take; the shrink keeps the weakest from being amplified into noise.
 *
 * <p>Fitted by {@link #fit} on unit-norm descriptors (one per excerpt); kept as one checksummed
 * value ({@link #write}, {@link #read}) whose {@link #id()} names the fit and its SHA-256, so that a
 * vector made with one projection is never compared with one made by another (it is a parameter of the
 * feature, {@link FeatureConfig#parameters()}).
 *
 * <p>Immutable; thread-safe.
 */
public final class Projection implements java.io.Serializable {

  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x5253504a; // "RSPJ"
  private static final int FORMAT = 1;

  private final String id;
  private final int inputDim;
  private final int outputDim;
  private final double shrink;
  private final int trainingRows;
  private final float[] weights; // outputDim rows of inputDim
  private final float[] bias; // weights · mean

  private Projection(int inputDim, int outputDim, double shrink, int trainingRows, float[] weights, float[] bias,
      String sha) {
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.shrink = shrink;
    this.trainingRows = trainingRows;
    this.weights = weights;
    this.bias = bias;
    this.id = "pca-whiten-" + outputDim + "-" + shrink + "@sha256:" + sha;
  }

  /** Names the fit and its content: {@code pca-whiten-<dims>-<shrink>@sha256:<first 16 hex digits>}. */
  public String id() {
    return id;
  }

  /** Length of the descriptors it takes. */
  public int inputDim() {
    return inputDim;
  }

  /** Length of the vectors it gives. */
  public int outputDim() {
    return outputDim;
  }

  /** The shrink of its fit (relative to the mean variance of the kept axes). */
  public double shrink() {
    return shrink;
  }

  /** How many excerpts it was fitted on. */
  public int trainingRows() {
    return trainingRows;
  }

  /**
   * Fits a projection on {@code rows} (unit-norm descriptors, all of one length): their mean, the
   * eigenvectors of their covariance with the {@code dims} largest eigenvalues, each scaled by
   * 1 / √(λ + shrink · mean of the kept λ).
   *
   * @param dims output dimensions, in [1, input length]
   * @param shrink in (0, 10]: 0.03 keeps the axes' weights within ~6× of each other only where variances are
   *     that close
   * @throws IllegalArgumentException when there are fewer rows than 2, rows of different lengths, or a
   *     parameter is out of range
   */
  public static Projection fit(List<float[]> rows, int dims, double shrink) {
    if (rows.size() < 2) {
      throw new IllegalArgumentException("a projection needs at least 2 excerpts to fit; rows=" + rows.size());
    }
    int d = rows.get(0).length;
    if (dims < 1 || dims > d) {
      throw new IllegalArgumentException("dims must be in [1, " + d + "]; dims=" + dims);
    }
    if (!(shrink > 0 && shrink <= 10)) {
      throw new IllegalArgumentException("shrink must be in (0, 10]; shrink=" + shrink);
    }
    int n = rows.size();
    double[] mean = new double[d];
    for (float[] r : rows) {
      if (r.length != d) {
        throw new IllegalArgumentException("rows of different lengths: " + r.length + " and " + d);
      }
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    DMatrixRMaj x = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      float[] r = rows.get(i);
      for (int j = 0; j < d; j++) {
        x.unsafe_set(i, j, r[j] - mean[j]);
      }
    }
    DMatrixRMaj cov = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(x, x, cov);
    CommonOps_DDRM.scale(1.0 / (n - 1), cov);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(cov)) {
      throw new IllegalStateException("the eigendecomposition of the covariance did not converge");
    }
    Integer[] order = new Integer[d];
    double[] lambda = new double[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
      lambda[i] = Math.max(0, eig.getEigenvalue(i).getReal());
    }
    Arrays.sort(order, (a, b) -> Double.compare(lambda[b], lambda[a]));
    double kept = 0;
    for (int i = 0; i < dims; i++) {
      kept += lambda[order[i]];
    }
    double floor = shrink * kept / dims;
    float[] w = new float[dims * d];
    float[] bias = new float[dims];
    for (int i = 0; i < dims; i++) {
      DMatrixRMaj u = eig.getEigenVector(order[i]);
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += u.get(j) * u.get(j);
      }
      // a fixed sign per axis (largest component positive), so refits of the same data agree
      int big = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(u.get(j)) > Math.abs(u.get(big))) {
          big = j;
        }
      }
      double s = Math.signum(u.get(big)) / Math.sqrt(norm) / Math.sqrt(lambda[order[i]] + floor);
      double b = 0;
      for (int j = 0; j < d; j++) {
        w[i * d + j] = (float) (u.get(j) * s);
        b += w[i * d + j] * mean[j];
      }
      bias[i] = (float) b;
    }
    return of(d, dims, shrink, n, w, bias);
  }

  private static Projection of(int inputDim, int outputDim, double shrink, int trainingRows, float[] w, float[] bias) {
    return new Projection(inputDim, outputDim, shrink, trainingRows, w, bias, digest(inputDim, outputDim, shrink, trainingRows, w, bias));
  }

  /**
   * The projection of a unit-norm descriptor, unit-normalised (a new array); null when it projects to
   * zero.
   *
   * @throws IllegalArgumentException when its length is not {@link #inputDim()}
   */
  public float[] apply(float[] v) {
    return PostProcessing.unitNormalize(transform(v));
  }

  /** The projection before normalisation: whitened coordinates along the kept axes. */
  float[] transform(float[] v) {
    if (v.length != inputDim) {
      throw new IllegalArgumentException("descriptor length " + v.length + " is not the projection's input "
          + inputDim + " (" + id + ")");
    }
    float[] out = new float[outputDim];
    for (int i = 0; i < outputDim; i++) {
      out[i] = dot(weights, i * inputDim, v) - bias[i];
    }
    return out;
  }

  /** Σ w[off + j] · v[j], in eight independent sums (the JIT keeps them in registers). */
  private static float dot(float[] w, int off, float[] v) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int n = v.length;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      s0 += w[off + j] * v[j];
      s1 += w[off + j + 1] * v[j + 1];
      s2 += w[off + j + 2] * v[j + 2];
      s3 += w[off + j + 3] * v[j + 3];
      s4 += w[off + j + 4] * v[j + 4];
      s5 += w[off + j + 5] * v[j + 5];
      s6 += w[off + j + 6] * v[j + 6];
      s7 += w[off + j + 7] * v[j + 7];
    }
    for (; j < n; j++) {
      s0 += w[off + j] * v[j];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** Writes it as one value: a header, the weights and bias (float32, little-endian) and their SHA-256. */
  public void write(OutputStream out) throws IOException {
    DataOutputStream o = new DataOutputStream(out);
    o.writeInt(MAGIC);
    o.writeInt(FORMAT);
    o.writeInt(inputDim);
    o.writeInt(outputDim);
    o.writeDouble(shrink);
    o.writeInt(trainingRows);
    o.write(floats(weights));
    o.write(floats(bias));
    o.write(sha256(inputDim, outputDim, shrink, trainingRows, weights, bias));
    o.flush();
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws IOException when it is not a projection, of another format version, truncated, or its
   *     checksum does not match (naming which)
   */
  public static Projection read(InputStream in) throws IOException {
    DataInputStream i = new DataInputStream(in);
    if (i.readInt() != MAGIC) {
      throw new IOException("not a RhythmSearch projection (bad magic number)");
    }
    int format = i.readInt();
    if (format != FORMAT) {
      throw new IOException("projection format " + format + " is not the supported " + FORMAT);
    }
    int inputDim = i.readInt();
    int outputDim = i.readInt();
    double shrink = i.readDouble();
    int trainingRows = i.readInt();
    if (inputDim < 1 || outputDim < 1 || outputDim > inputDim || inputDim > 1 << 16) {
      throw new IOException("projection header is damaged: " + inputDim + " -> " + outputDim);
    }
    float[] w = readFloats(i, inputDim * outputDim);
    float[] bias = readFloats(i, outputDim);
    byte[] sha = i.readNBytes(32);
    if (!Arrays.equals(sha, sha256(inputDim, outputDim, shrink, trainingRows, w, bias))) {
      throw new IOException("projection checksum mismatch: the file is damaged");
    }
    return of(inputDim, outputDim, shrink, trainingRows, w, bias);
  }

  /** Reads a projection shipped as a class-path resource. */
  static Projection resource(String name) {
    try (InputStream in = Projection.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("projection resource " + name + " is missing from the class path");
      }
      return read(new java.io.BufferedInputStream(in));
    } catch (IOException e) {
      throw new IllegalStateException("projection resource " + name + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static float[] readFloats(DataInputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n * 4);
    if (b.length != n * 4) {
      throw new IOException("projection is truncated");
    }
    float[] out = new float[n];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static byte[] sha256(int inputDim, int outputDim, double shrink, int trainingRows, float[] w, float[] bias) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(head);
      h.writeInt(inputDim);
      h.writeInt(outputDim);
      h.writeDouble(shrink);
      h.writeInt(trainingRows);
      md.update(head.toByteArray());
      md.update(floats(w));
      md.update(floats(bias));
      return md.digest();
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String digest(int inputDim, int outputDim, double shrink, int trainingRows, float[] w, float[] bias) {
    return HexFormat.of().formatHex(sha256(inputDim, outputDim, shrink, trainingRows, w, bias), 0, 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Projection p && p.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id + " (" + inputDim + " -> " + outputDim + ", fitted on " + trainingRows + " excerpts)";
  }
}
