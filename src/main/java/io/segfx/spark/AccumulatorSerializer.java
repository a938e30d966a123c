package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.segfx.stats.ExactMoments;

/**
 * Kryo serializers of stage 1's shuffle records, written field by field with no class names and no
 * reference tracking inside a record: Kryo's field serializer spends more time on its reference
 * maps and class tags than on a cell's few hundred bytes, and writes each limb in eight bytes where
 * a normalised limb mostly needs one ({@link ExactMoments#writeState}). The cross-product flags are
 * written once per cell and shared by its arms when read, as they are when built. An arm's sums are
 * kept as read, in that compact form, until the reduce side merges or fits them.
 */
final class AccumulatorSerializer extends Serializer<SegmentAccumulator> {
  /**
   * Where an arm's sums are written before they are shipped, so that the record can carry their
   * length (a Kryo instance, and so this serializer, serves one thread at a time). The reduce side
   * then keeps them as one byte copy, in their written form, without parsing them: a reduce task
   * holds its cells until the last map output arrives, and the written form of a sum is the few
   * limbs its values span, where the built one is a 10-limb window.
   */
  private final Output shipping = new Output(256, -1);

  private final Writer shipper = new Writer(shipping);

  /** The sums of one arm from the form {@link #read} keeps ({@link SegmentAccumulator}). */
  static ExactMoments unpack(int q, boolean[] products, byte[] state) {
    return ExactMoments.readState(q, products, new Reader(new Input(state)));
  }

  @Override
  public void write(Kryo kryo, Output out, SegmentAccumulator a) {
    out.writeString(a.experiment);
    out.writeString(a.segment);
    out.writeVarInt(a.q, true);
    writeFlags(out, a.products);
    out.writeVarInt(a.arms.size(), true);
    for (int i = 0; i < a.arms.size(); i++) {
      out.writeString(a.arms.get(i));
      byte[] packed = a.packedState(i);
      if (packed != null) {
        out.writeVarInt(packed.length, true);
        out.writeBytes(packed);
      } else {
        shipping.clear();
        a.moments.get(i).writeState(shipper);
        out.writeVarInt(shipping.position(), true);
        out.writeBytes(shipping.getBuffer(), 0, shipping.position());
      }
    }
    out.writeVarLong(a.rejected, true);
    out.writeVarLong(a.rows, true);
  }

  @Override
  public SegmentAccumulator read(Kryo kryo, Input in, Class<SegmentAccumulator> type) {
    String experiment = in.readString();
    String segment = in.readString();
    int q = in.readVarInt(true);
    boolean[] products = readFlags(in);
    SegmentAccumulator a = new SegmentAccumulator(experiment, segment, q, products);
    int arms = in.readVarInt(true);
    for (int i = 0; i < arms; i++) {
      String arm = in.readString();
      a.addPacked(arm, in.readBytes(in.readVarInt(true)));
    }
    a.rejected = in.readVarLong(true);
    a.rows = in.readVarLong(true);
    return a;
  }

  /** Flags as a length (-1 for null, meaning every product) and one byte per flag. */
  static void writeFlags(Output out, boolean[] flags) {
    out.writeVarInt(flags == null ? 0 : flags.length + 1, true);
    if (flags != null) {
      for (boolean f : flags) {
        out.writeBoolean(f);
      }
    }
  }

  static boolean[] readFlags(Input in) {
    int n = in.readVarInt(true) - 1;
    if (n < 0) {
      return null;
    }
    boolean[] flags = new boolean[n];
    for (int i = 0; i < n; i++) {
      flags[i] = in.readBoolean();
    }
    return flags;
  }

  /** {@link ExactMoments} alone (the robust-variance stage shuffles them by key). */
  static final class Moments extends Serializer<ExactMoments> {
    @Override
    public void write(Kryo kryo, Output out, ExactMoments m) {
      out.writeVarInt(m.columns(), true);
      writeFlags(out, m.productFlags());
      m.writeState(new Writer(out));
    }

    @Override
    public ExactMoments read(Kryo kryo, Input in, Class<ExactMoments> type) {
      int q = in.readVarInt(true);
      boolean[] products = readFlags(in);
      return ExactMoments.readState(q, products, new Reader(in));
    }
  }

  private record Writer(Output out) implements ExactMoments.StateWriter {
    @Override
    public void writeLong(long v) {
      out.writeVarLong(v, false);
    }

    @Override
    public void writeInt(int v) {
      out.writeVarInt(v, false);
    }

    @Override
    public void writeBytes(byte[] b) {
      out.writeVarInt(b.length, true);
      out.writeBytes(b);
    }
  }

  private record Reader(Input in) implements ExactMoments.StateReader {
    @Override
    public long readLong() {
      return in.readVarLong(false);
    }

    @Override
    public int readInt() {
      return in.readVarInt(false);
    }

    @Override
    public byte[] readBytes() {
      return in.readBytes(in.readVarInt(true));
    }
  }
}
