package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.VectorMatrix;

/** The stored form of an IVF index: every damage is refused with a message, a changed index is stale. */
class StoredIvfTest {

  private static final int DIM = FeatureConfigs.DEFAULT.dimension();

  private static Snapshot snapshot(int tracks) {
    List<TrackRecord> records = new ArrayList<>();
    int rows = 0;
    for (int t = 0; t < tracks; t++) {
      records.add(new TrackRecord(t + 1, "/t" + t, 1, 2, "h" + t, 40, 4, null));
      rows += 4;
    }
    float[] data = new float[rows * DIM];
    int[] track = new int[rows];
    float[] start = new float[rows];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(VectorStoreContract.entry("x", 1, r, DIM).excerpts().get(0).vector(), 0, data, r * DIM, DIM);
      track[r] = r / 4;
      start[r] = 10f * (r % 4);
    }
    return new Snapshot(FeatureConfigs.DEFAULT, records, new VectorMatrix(data, DIM), track, start);
  }

  @Test
  void aRoundTripRebuildsTheSameIndex() throws Exception {
    Snapshot snap = snapshot(30);
    IvfIndex ivf = new IvfIndex(snap.vectors(), new IvfIndex.Params(7, 2, 30, 5));
    StoredIvf stored = StoredIvf.decode(StoredIvf.encode(snap, ivf), snap, "db").orElseThrow();
    assertThat(stored.params()).isEqualTo(ivf.params());
    assertThat(stored.assignment()).containsExactly(ivf.assignment());
    IvfIndex back = stored.toIndex(snap, "db");
    for (int q = 0; q < 20; q++) {
      assertThat(back.search(snap.vectors().row(q * 5), 10)).isEqualTo(ivf.search(snap.vectors().row(q * 5), 10));
    }
  }

  @Test
  void otherRowsMakeItStaleAndDamageIsRefusedByName() throws Exception {
    Snapshot snap = snapshot(30);
    byte[] blob = StoredIvf.encode(snap, new IvfIndex(snap.vectors(), new IvfIndex.Params(7, 2, 30, 5)));
    assertThat(StoredIvf.decode(blob, snapshot(31), "db")).as("a track more").isEmpty();
    Snapshot moved = new Snapshot(snap.config(), snap.tracks(), snap.vectors(), snap.excerptTrack(),
        shifted(snap.excerptStart()));
    assertThat(StoredIvf.decode(blob, moved, "db")).as("an excerpt start changed").isEmpty();

    for (int at : new int[] {20, 100, blob.length / 2, blob.length - 10, blob.length - 1}) {
      byte[] b = blob.clone();
      b[at] ^= 4;
      assertThatThrownBy(() -> StoredIvf.decode(b, snap, "db")).isInstanceOf(StoreException.class)
          .hasMessage("db: damaged IVF index: it fails its checksum; rebuild it with index --ann ivf");
    }
    byte[] format = blob.clone();
    format[4] = 9;
    assertThatThrownBy(() -> StoredIvf.decode(format, snap, "db")).isInstanceOf(StoreException.class)
        .hasMessageContaining("IVF format 9 is not one this rhythmsearch reads");
    assertThatThrownBy(() -> StoredIvf.decode(new byte[] {1, 2, 3}, snap, "db")).isInstanceOf(StoreException.class)
        .hasMessageContaining("not an IVF value");
  }

  @Test
  void aRowInAnotherListThanItsNearestIsRefusedEvenWithAValidChecksum() throws Exception {
    Snapshot snap = snapshot(30);
    IvfIndex ivf = new IvfIndex(snap.vectors(), new IvfIndex.Params(7, 2, 30, 5));
    byte[] blob = StoredIvf.encode(snap, ivf);
    // move row 0 to another list, and seal the change with a fresh checksum: only the check on load can see it
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int rowsAt = blob.length - 4 - 4 * snap.vectors().rows();
    b.putInt(rowsAt, (ivf.assignment()[0] + 1) % 7);
    CRC32C crc = new CRC32C();
    crc.update(blob, 0, blob.length - 4);
    b.putInt(blob.length - 4, (int) crc.getValue());
    StoredIvf stored = StoredIvf.decode(blob, snap, "db").orElseThrow();
    assertThatThrownBy(() -> stored.toIndex(snap, "db")).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("db: the stored IVF lists do not match their centroids (row 0 is in list");
    b.putInt(rowsAt, 99);
    crc.reset();
    crc.update(blob, 0, blob.length - 4);
    b.putInt(blob.length - 4, (int) crc.getValue());
    StoredIvf outOfRange = StoredIvf.decode(blob, snap, "db").orElseThrow();
    assertThatThrownBy(() -> outOfRange.toIndex(snap, "db")).isInstanceOf(StoreException.class)
        .hasMessageContaining("row 0 is assigned to list 99 of 7");
  }

  private static float[] shifted(float[] starts) {
    float[] s = starts.clone();
    s[5] += 1;
    return s;
  }
}
