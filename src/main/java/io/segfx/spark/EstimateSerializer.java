package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.SegmentEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Kryo serializers of stage 1's results, which every reduce task returns to the driver: {@link
 * SegmentEstimate} (with its {@link PosteriorSummary}) and {@link SufficientStatsStage.TaskResult},
 * written component by component: a task's estimates in one loop, with no reflection, boxing, class
 * tags or reference-map entries per estimate (costs the generic {@link RecordSerializer} would pay
 * on every one), and read with {@link RecordSerializer}'s string sharing, so the driver keeps one
 * copy of each id and label.
 *
 * <p>The constructors check the records' components ({@link RecordShape}).
 */
final class EstimateSerializer extends Serializer<SegmentEstimate> {
  private static final List<String> ESTIMATE =
      List.of(
          "experimentId",
          "metric",
          "variant",
          "segment",
          "nControl",
          "nTreatment",
          "estimate",
          "stdError",
          "dof",
          "status",
          "kind",
          "successesControl",
          "successesTreatment",
          "meanControl",
          "ssControl",
          "meanTreatment",
          "ssTreatment",
          "bayesMean",
          "bayesScale",
          "bayesDof",
          "bayesSummary",
          "srmPValue",
          "stdErrorClassical",
          "seType");

  /**
   * An estimate's texts, in the order they are written; bit k of an estimate's mask says that text
   * k is the previous estimate's.
   */
  private static final List<Function<SegmentEstimate, String>> TEXTS =
      List.of(
          SegmentEstimate::experimentId,
          SegmentEstimate::metric,
          SegmentEstimate::variant,
          SegmentEstimate::segment,
          SegmentEstimate::status,
          SegmentEstimate::kind,
          SegmentEstimate::seType);

  private static final List<String> SUMMARY =
      List.of("mean", "sd", "q025", "q975", "probPositive", "probAboveThreshold");
  private static final List<String> TASK = List.of("rowsUsed", "rejected", "estimates", "robust");

  EstimateSerializer() {
    RecordShape.check(SegmentEstimate.class, ESTIMATE);
    RecordShape.check(PosteriorSummary.class, SUMMARY);
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output out, SegmentEstimate e) {
    writeEstimate(out, e, null);
  }

  @Override
  public SegmentEstimate read(Kryo kryo, Input in, Class<SegmentEstimate> type) {
    return readEstimate(in, null);
  }

  /**
   * Writes {@code e}; its texts equal to those of {@code previous} (the estimate written before it
   * in the same cell, or null) are marked in a bit mask rather than written again: a cell's
   * estimates share their experiment, segment and variant, and mostly their status and SE type.
   */
  static void writeEstimate(Output out, SegmentEstimate e, SegmentEstimate previous) {
    int same = 0;
    for (int bit = 0; bit < TEXTS.size() && previous != null; bit++) {
      same |=
          Objects.equals(TEXTS.get(bit).apply(e), TEXTS.get(bit).apply(previous)) ? 1 << bit : 0;
    }
    out.writeVarInt(same, true);
    for (int bit = 0; bit < TEXTS.size(); bit++) {
      if ((same & 1 << bit) == 0) {
        out.writeString(TEXTS.get(bit).apply(e));
      }
    }
    out.writeVarLong(e.nControl(), false);
    out.writeVarLong(e.nTreatment(), false);
    out.writeDouble(e.estimate());
    out.writeDouble(e.stdError());
    out.writeVarLong(e.dof(), false);
    writeBoxed(out, e.successesControl());
    writeBoxed(out, e.successesTreatment());
    out.writeDouble(e.meanControl());
    out.writeDouble(e.ssControl());
    out.writeDouble(e.meanTreatment());
    out.writeDouble(e.ssTreatment());
    out.writeDouble(e.bayesMean());
    out.writeDouble(e.bayesScale());
    out.writeDouble(e.bayesDof());
    PosteriorSummary s = e.bayesSummary();
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeDouble(s.mean());
      out.writeDouble(s.sd());
      out.writeDouble(s.q025());
      out.writeDouble(s.q975());
      out.writeDouble(s.probPositive());
      out.writeDouble(s.probAboveThreshold());
    }
    out.writeDouble(e.srmPValue());
    out.writeDouble(e.stdErrorClassical());
  }

  /**
   * Text {@code bit} of {@link #TEXTS}: the previous estimate's when the mask says so, else read.
   */
  private static String readText(Input in, int same, int bit, SegmentEstimate previous) {
    return (same & 1 << bit) != 0
        ? TEXTS.get(bit).apply(previous)
        : RecordSerializer.shared(in.readString());
  }

  /** Reads what {@link #writeEstimate} wrote, given the same {@code previous}. */
  static SegmentEstimate readEstimate(Input in, SegmentEstimate previous) {
    int same = in.readVarInt(true);
    if (same != 0 && previous == null) {
      throw new KryoException("an estimate repeats the texts of none");
    }
    String experimentId = readText(in, same, 0, previous);
    String metric = readText(in, same, 1, previous);
    String variant = readText(in, same, 2, previous);
    String segment = readText(in, same, 3, previous);
    String status = readText(in, same, 4, previous);
    String kind = readText(in, same, 5, previous);
    String seType = readText(in, same, 6, previous);
    long nControl = in.readVarLong(false);
    long nTreatment = in.readVarLong(false);
    double estimate = in.readDouble();
    double stdError = in.readDouble();
    long dof = in.readVarLong(false);
    Long successesControl = readBoxed(in);
    Long successesTreatment = readBoxed(in);
    double meanControl = in.readDouble();
    double ssControl = in.readDouble();
    double meanTreatment = in.readDouble();
    double ssTreatment = in.readDouble();
    double bayesMean = in.readDouble();
    double bayesScale = in.readDouble();
    double bayesDof = in.readDouble();
    PosteriorSummary summary =
        in.readBoolean()
            ? new PosteriorSummary(
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble())
            : null;
    double srmPValue = in.readDouble();
    double stdErrorClassical = in.readDouble();
    return new SegmentEstimate(
        experimentId,
        metric,
        variant,
        segment,
        nControl,
        nTreatment,
        estimate,
        stdError,
        dof,
        status,
        kind,
        successesControl,
        successesTreatment,
        meanControl,
        ssControl,
        meanTreatment,
        ssTreatment,
        bayesMean,
        bayesScale,
        bayesDof,
        summary,
        srmPValue,
        stdErrorClassical,
        seType);
  }

  private static void writeBoxed(Output out, Long v) {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeVarLong(v, false);
    }
  }

  private static Long readBoxed(Input in) {
    return in.readBoolean() ? in.readVarLong(false) : null;
  }

  /**
   * A reduce task's result: its row counts, its estimates through {@link #writeEstimate} (each
   * sharing the texts of the one before), and its robust inputs (none unless --se asks for them)
   * each through Kryo.
   */
  static final class Tasks extends Serializer<SufficientStatsStage.TaskResult> {
    Tasks() {
      RecordShape.check(SufficientStatsStage.TaskResult.class, TASK);
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, SufficientStatsStage.TaskResult t) {
      out.writeVarLong(t.rowsUsed(), false);
      out.writeVarInt(t.rejected().size(), true);
      for (Map.Entry<String, Long> e : t.rejected().entrySet()) {
        out.writeString(e.getKey());
        out.writeVarLong(e.getValue(), false);
      }
      out.writeVarInt(t.estimates().size(), true);
      SegmentEstimate previous = null;
      for (SegmentEstimate e : t.estimates()) {
        writeEstimate(out, e, previous);
        previous = e;
      }
      out.writeVarInt(t.robust().size(), true);
      for (RobustInput r : t.robust()) {
        kryo.writeClassAndObject(out, r);
      }
    }

    @Override
    public SufficientStatsStage.TaskResult read(
        Kryo kryo, Input in, Class<SufficientStatsStage.TaskResult> type) {
      long used = in.readVarLong(false);
      int reasons = in.readVarInt(true);
      Map<String, Long> rejected = new TreeMap<>();
      for (int i = 0; i < reasons; i++) {
        rejected.put(in.readString(), in.readVarLong(false));
      }
      int n = in.readVarInt(true);
      List<SegmentEstimate> estimates = new ArrayList<>(n);
      SegmentEstimate previous = null;
      for (int i = 0; i < n; i++) {
        previous = readEstimate(in, previous);
        estimates.add(previous);
      }
      int m = in.readVarInt(true);
      List<RobustInput> robust = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        robust.add((RobustInput) kryo.readClassAndObject(in));
      }
      return new SufficientStatsStage.TaskResult(used, rejected, estimates, robust);
    }
  }
}
