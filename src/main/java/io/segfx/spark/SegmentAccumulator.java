package io.segfx.spark;

import io.segfx.stats.ExactMoments;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The mergeable sufficient statistics of one (experiment, segment): one {@link ExactMoments} per
 * arm seen, over the covariate and metric columns. A quarantine tally uses the same type with no
 * arms and a {@link #rejected} count, so one shuffle carries both.
 */
final class SegmentAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  final String experiment;
  final String segment;
  final int q;

  /** The cross products accumulated (see {@link ExactMoments#ExactMoments(int, boolean[])}). */
  final boolean[] products;

  final List<String> arms = new ArrayList<>(2);

  /**
   * The arms' sums, parallel to {@link #arms}; null where the arm's sums are still in {@link
   * #packed}, read through {@link #momentsAt}.
   */
  final List<ExactMoments> moments = new ArrayList<>(2);

  /**
   * Arms' sums as a shuffle delivered them, in their written form ({@link AccumulatorSerializer}),
   * parallel to {@link #arms} (null entries for built sums; null when none is packed): a reduce
   * task holds every cell until its last map output arrives, and most cells are then fitted without
   * a merge, so they are built only to be fitted.
   */
  private List<byte[]> packed;

  long rejected;

  /** Input rows that entered these statistics (unit rows, or aggregate rows for counts input). */
  long rows;

  /** Map-side lookup keys, parallel to {@link #arms}; never shipped. */
  private transient List<UTF8String> armKeys;

  /** Map-side moments by the task's arm slot ({@link #armAt}); never shipped. */
  private transient ExactMoments[] slots;

  /**
   * Map-side ids of the arms' moments in {@link ColumnarPartitionScan}, by arm slot (0: none yet):
   * the first two slots in fields, so that a row of a cell read for its count needs no other
   * object; never shipped.
   */
  private transient int armId0;

  private transient int armId1;
  private transient int[] armIdRest;

  /** Map-side: the task's batch that last touched this cell ({@link ColumnarPartitionScan}). */
  transient long lastBatch;

  SegmentAccumulator(String experiment, String segment, int q, boolean[] products) {
    this.experiment = experiment;
    this.segment = segment;
    this.q = q;
    this.products = products;
  }

  /** The moments of the arm whose value is {@code arm}, created on first sight (map side). */
  ExactMoments arm(UTF8String arm) {
    if (armKeys == null) {
      armKeys = new ArrayList<>(2);
    }
    for (int i = 0; i < armKeys.size(); i++) {
      if (armKeys.get(i).equals(arm)) {
        return momentsAt(i);
      }
    }
    ExactMoments m = new ExactMoments(q, products);
    armKeys.add(arm.copy());
    arms.add(arm.toString());
    moments.add(m);
    return m;
  }

  /**
   * The moments of the arm in task-wide slot {@code slot} (named {@code name}), created on first
   * sight (map side, {@link ColumnarScan}).
   */
  ExactMoments armAt(int slot, String name) {
    if (slots == null || slot >= slots.length) {
      slots = Arrays.copyOf(slots == null ? new ExactMoments[0] : slots, Math.max(slot + 1, 4));
    }
    ExactMoments m = slots[slot];
    if (m == null) {
      m = new ExactMoments(q, products);
      slots[slot] = m;
      arms.add(name);
      moments.add(m);
    }
    return m;
  }

  /** Adds an arm whose sums are in their written form (see {@link #packed}). */
  void addPacked(String arm, byte[] state) {
    if (packed == null) {
      packed = new ArrayList<>(2);
    }
    while (packed.size() < moments.size()) {
      packed.add(null);
    }
    arms.add(arm);
    moments.add(null);
    packed.add(state);
  }

  /** Arm i's sums in their written form, or null when they are built. */
  byte[] packedState(int i) {
    return packed == null || i >= packed.size() ? null : packed.get(i);
  }

  /** Arm i's sums, built from their written form on first use. */
  private ExactMoments momentsAt(int i) {
    ExactMoments m = moments.get(i);
    if (m == null) {
      m = AccumulatorSerializer.unpack(q, products, packed.get(i));
      moments.set(i, m);
      packed.set(i, null);
    }
    return m;
  }

  /** The map-side id of arm slot {@code slot}'s moments, or 0 when none is given yet. */
  int armId(int slot) {
    if (slot < 2) {
      return slot == 0 ? armId0 : armId1;
    }
    return armIdRest == null || slot - 2 >= armIdRest.length ? 0 : armIdRest[slot - 2];
  }

  /** Gives arm slot {@code slot}'s moments the map-side id {@code id}. */
  void armId(int slot, int id) {
    if (slot == 0) {
      armId0 = id;
    } else if (slot == 1) {
      armId1 = id;
    } else {
      if (armIdRest == null || slot - 2 >= armIdRest.length) {
        armIdRest = Arrays.copyOf(armIdRest == null ? new int[0] : armIdRest, slot + 2);
      }
      armIdRest[slot - 2] = id;
    }
  }

  /** The moments of arm {@code name}, or null when the segment has no such rows. */
  ExactMoments arm(String name) {
    int i = arms.indexOf(name);
    return i < 0 ? null : momentsAt(i);
  }

  /** Adds {@code other} into this accumulator (exact, so order does not matter). */
  SegmentAccumulator merge(SegmentAccumulator other) {
    rejected += other.rejected;
    rows += other.rows;
    for (int i = 0; i < other.arms.size(); i++) {
      String name = other.arms.get(i);
      int j = arms.indexOf(name);
      if (j < 0) {
        arms.add(name);
        moments.add(other.momentsAt(i));
      } else {
        momentsAt(j).combine(other.momentsAt(i));
      }
    }
    armKeys = null;
    slots = null;
    return this;
  }
}
