package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.ExactMoments;
import io.segfx.stats.PooledPosterior;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers what segfx shuffles, collects and broadcasts with Kryo ({@code
 * spark.serializer=KryoSerializer}, which {@link io.segfx.cli.SegfxMain} sets unless the user chose
 * a serializer). Kryo 4's field serializer cannot build Java records, so records use {@link
 * RecordSerializer} (component by component); plain classes use Kryo's default. {@link
 * io.segfx.cli.SegfxMain} appends this registrator to any the user configured.
 */
public final class SegfxKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    // Any record, registered here or not (nested in another, or unforeseen), goes by components.
    kryo.addDefaultSerializer(Record.class, RecordSerializer.class);
    record(kryo, CellKey.class);
    record(kryo, RobustInput.class);
    record(kryo, io.segfx.model.SeriesPoint.class);
    record(kryo, SufficientStatsStage.CellResult.class);
    record(kryo, SegmentEstimate.class);
    record(kryo, DecisionMetrics.class);
    record(kryo, PooledPosterior.class);
    record(kryo, io.segfx.stats.SegmentDraw.class);
    record(kryo, io.segfx.stats.ExperimentDraws.Result.class);
    record(kryo, io.segfx.stats.DecisionFigures.class);
    record(kryo, io.segfx.stats.DrawSummary.class);
    record(kryo, io.segfx.model.PosteriorSummary.class);
    record(kryo, io.segfx.stats.Dyadic.class);
    record(kryo, io.segfx.stats.pooling.HierarchicalPosterior.class);
    kryo.register(io.segfx.stats.SegmentDraw[].class);
    kryo.register(io.segfx.stats.DrawSummary[].class);
    kryo.register(io.segfx.stats.Dyadic[].class);
    kryo.register(SegmentAccumulator.class);
    kryo.register(ExactMoments.class);
    kryo.register(java.util.ArrayList.class);
    kryo.register(java.util.HashMap.class);
    kryo.register(double[].class);
    kryo.register(long[].class);
    kryo.register(int[].class);
    kryo.register(String[].class);
  }

  private static <T extends Record> void record(Kryo kryo, Class<T> type) {
    kryo.register(type, new RecordSerializer<>(type));
  }
}
