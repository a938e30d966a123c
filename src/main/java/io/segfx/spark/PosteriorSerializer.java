package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.SegmentDraw;
import io.segfx.stats.pooling.HierarchicalPosterior;
import java.util.List;

/**
 * Kryo serializer of stage 3's broadcast records ({@link PooledPosterior} with its {@link
 * SegmentDraw}s and {@link HierarchicalPosterior}), written component by component with no class
 * tags and no reference tracking inside a group. The driver serializes the whole broadcast on one
 * thread while the executors wait, and the generic {@link RecordSerializer} would call every
 * component by reflection and enter every segment's arrays and kinds in Kryo's reference map, which
 * grows with the whole broadcast (measurements in docs/performance.md).
 *
 * <p>The constructor checks the three records' components ({@link RecordShape}).
 */
final class PosteriorSerializer extends Serializer<PooledPosterior> {
  private static final List<String> POOLED =
      List.of("experimentId", "metric", "variant", "segments", "units", "prior", "hierarchy");
  private static final List<String> DRAW =
      List.of("segment", "share", "effectKind", "effect", "baselineKind", "baseline", "summarise");
  private static final List<String> HIERARCHY =
      List.of(
          "y", "v", "tau", "weight", "muHat", "muVar", "tauMean", "tauQ025", "tauQ975", "muMean",
          "muSd", "muQ025", "muQ975", "grid");

  private static final SegmentDraw.Kind[] KINDS = SegmentDraw.Kind.values();

  PosteriorSerializer() {
    RecordShape.check(PooledPosterior.class, POOLED);
    RecordShape.check(SegmentDraw.class, DRAW);
    RecordShape.check(HierarchicalPosterior.class, HIERARCHY);
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output out, PooledPosterior p) {
    out.writeString(p.experimentId());
    out.writeString(p.metric());
    out.writeString(p.variant());
    SegmentDraw[] segments = p.segments();
    out.writeVarInt(segments.length, true);
    for (SegmentDraw d : segments) {
      writeDraw(out, d);
    }
    long[] units = p.units();
    for (long u : units) {
      out.writeVarLong(u, true);
    }
    out.writeString(p.prior());
    HierarchicalPosterior h = p.hierarchy();
    out.writeBoolean(h != null);
    if (h != null) {
      writeHierarchy(out, h);
    }
  }

  @Override
  public PooledPosterior read(Kryo kryo, Input in, Class<PooledPosterior> type) {
    String experiment = in.readString();
    String metric = in.readString();
    String variant = in.readString();
    int n = in.readVarInt(true);
    SegmentDraw[] segments = new SegmentDraw[n];
    for (int j = 0; j < n; j++) {
      segments[j] = readDraw(in);
    }
    long[] units = new long[n];
    for (int j = 0; j < n; j++) {
      units[j] = in.readVarLong(true);
    }
    String prior = in.readString();
    HierarchicalPosterior h = in.readBoolean() ? readHierarchy(in) : null;
    return new PooledPosterior(experiment, metric, variant, segments, units, prior, h);
  }

  private static void writeDraw(Output out, SegmentDraw d) {
    out.writeString(d.segment());
    out.writeDouble(d.share());
    writeKind(out, d.effectKind());
    writeDoubles(out, d.effect());
    writeKind(out, d.baselineKind());
    writeDoubles(out, d.baseline());
    out.writeBoolean(d.summarise());
  }

  private static SegmentDraw readDraw(Input in) {
    String segment = in.readString();
    double share = in.readDouble();
    SegmentDraw.Kind effectKind = readKind(in);
    double[] effect = readDoubles(in);
    SegmentDraw.Kind baselineKind = readKind(in);
    double[] baseline = readDoubles(in);
    boolean summarise = in.readBoolean();
    return new SegmentDraw(segment, share, effectKind, effect, baselineKind, baseline, summarise);
  }

  private static void writeHierarchy(Output out, HierarchicalPosterior h) {
    writeDoubles(out, h.y());
    writeDoubles(out, h.v());
    writeDoubles(out, h.tau());
    writeDoubles(out, h.weight());
    writeDoubles(out, h.muHat());
    writeDoubles(out, h.muVar());
    out.writeDouble(h.tauMean());
    out.writeDouble(h.tauQ025());
    out.writeDouble(h.tauQ975());
    out.writeDouble(h.muMean());
    out.writeDouble(h.muSd());
    out.writeDouble(h.muQ025());
    out.writeDouble(h.muQ975());
    out.writeBoolean(h.grid());
  }

  private static HierarchicalPosterior readHierarchy(Input in) {
    return new HierarchicalPosterior(
        readDoubles(in),
        readDoubles(in),
        readDoubles(in),
        readDoubles(in),
        readDoubles(in),
        readDoubles(in),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readBoolean());
  }

  /** A kind as its ordinal + 1, 0 for null. */
  private static void writeKind(Output out, SegmentDraw.Kind k) {
    out.writeVarInt(k == null ? 0 : k.ordinal() + 1, true);
  }

  private static SegmentDraw.Kind readKind(Input in) {
    int k = in.readVarInt(true);
    return k == 0 ? null : KINDS[k - 1];
  }

  /** An array as its length + 1 (0 for null) and its values, bit for bit. */
  private static void writeDoubles(Output out, double[] a) {
    out.writeVarInt(a == null ? 0 : a.length + 1, true);
    if (a != null) {
      out.writeDoubles(a);
    }
  }

  private static double[] readDoubles(Input in) {
    int n = in.readVarInt(true);
    return n == 0 ? null : in.readDoubles(n - 1);
  }
}
