package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.SegmentEstimate;
import java.util.ArrayList;
import java.util.List;

/**
 * Kryo serializers of stage 1's results, which every cell returns to the driver: {@link
 * SegmentEstimate} (with its {@link PosteriorSummary}) and {@link SufficientStatsStage.CellResult},
 * written component by component: a cell's estimates in one loop, with no reflection, boxing, class
 * tags or reference-map entries per estimate (the generic {@link RecordSerializer}'s costs, paid
 * once per cell of a run), and read with {@link RecordSerializer}'s string sharing, so the driver
 * keeps one copy of each id and label.
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
  private static final List<String> SUMMARY =
      List.of("mean", "sd", "q025", "q975", "probPositive", "probAboveThreshold");
  private static final List<String> CELL = List.of("rows", "estimates", "robust");

  EstimateSerializer() {
    RecordShape.check(SegmentEstimate.class, ESTIMATE);
    RecordShape.check(PosteriorSummary.class, SUMMARY);
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output out, SegmentEstimate e) {
    writeEstimate(out, e);
  }

  @Override
  public SegmentEstimate read(Kryo kryo, Input in, Class<SegmentEstimate> type) {
    return readEstimate(in);
  }

  static void writeEstimate(Output out, SegmentEstimate e) {
    out.writeString(e.experimentId());
    out.writeString(e.metric());
    out.writeString(e.variant());
    out.writeString(e.segment());
    out.writeVarLong(e.nControl(), false);
    out.writeVarLong(e.nTreatment(), false);
    out.writeDouble(e.estimate());
    out.writeDouble(e.stdError());
    out.writeVarLong(e.dof(), false);
    out.writeString(e.status());
    out.writeString(e.kind());
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
    out.writeString(e.seType());
  }

  static SegmentEstimate readEstimate(Input in) {
    String experimentId = RecordSerializer.shared(in.readString());
    String metric = RecordSerializer.shared(in.readString());
    String variant = RecordSerializer.shared(in.readString());
    String segment = RecordSerializer.shared(in.readString());
    long nControl = in.readVarLong(false);
    long nTreatment = in.readVarLong(false);
    double estimate = in.readDouble();
    double stdError = in.readDouble();
    long dof = in.readVarLong(false);
    String status = RecordSerializer.shared(in.readString());
    String kind = RecordSerializer.shared(in.readString());
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
    String seType = RecordSerializer.shared(in.readString());
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
   * A cell's result: its row count, its estimates through {@link #writeEstimate}, and its robust
   * inputs (none unless --se asks for them) each through Kryo.
   */
  static final class Cells extends Serializer<SufficientStatsStage.CellResult> {
    Cells() {
      RecordShape.check(SufficientStatsStage.CellResult.class, CELL);
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, SufficientStatsStage.CellResult c) {
      out.writeVarLong(c.rows(), false);
      List<SegmentEstimate> estimates = c.estimates();
      out.writeVarInt(estimates == null ? 0 : estimates.size() + 1, true);
      if (estimates != null) {
        for (SegmentEstimate e : estimates) {
          writeEstimate(out, e);
        }
      }
      // As RecordSerializer writes a list: its size and elements, read back as an ArrayList.
      List<RobustInput> robust = c.robust();
      out.writeVarInt(robust == null ? 0 : robust.size() + 1, true);
      if (robust != null) {
        for (RobustInput r : robust) {
          kryo.writeClassAndObject(out, r);
        }
      }
    }

    @Override
    public SufficientStatsStage.CellResult read(
        Kryo kryo, Input in, Class<SufficientStatsStage.CellResult> type) {
      long rows = in.readVarLong(false);
      int n = in.readVarInt(true);
      List<SegmentEstimate> estimates = null;
      if (n > 0) {
        estimates = new ArrayList<>(n - 1);
        for (int i = 0; i < n - 1; i++) {
          estimates.add(readEstimate(in));
        }
      }
      int m = in.readVarInt(true);
      List<RobustInput> robust = null;
      if (m > 0) {
        robust = new ArrayList<>(m - 1);
        for (int i = 0; i < m - 1; i++) {
          robust.add((RobustInput) kryo.readClassAndObject(in));
        }
      }
      return new SufficientStatsStage.CellResult(rows, estimates, robust);
    }
  }
}
