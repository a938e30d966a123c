package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SeriesPoint;
import io.segfx.stats.DecisionFigures;
import io.segfx.stats.DrawSummary;
import io.segfx.stats.Dyadic;
import io.segfx.stats.ExactMoments;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.SegmentDraw;
import io.segfx.stats.pooling.HierarchicalPosterior;
import java.util.ArrayList;
import java.util.HashMap;
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
    record(kryo, SeriesPoint.class);
    // Stage 1 returns every cell's estimates to the driver: written field by field.
    kryo.register(SufficientStatsStage.TaskResult.class, new EstimateSerializer.Tasks());
    kryo.register(SegmentEstimate.class, new EstimateSerializer());
    record(kryo, DecisionMetrics.class);
    // Stage 3 broadcasts every group: written field by field (PosteriorSerializer).
    kryo.register(PooledPosterior.class, new PosteriorSerializer());
    record(kryo, SegmentDraw.class);
    record(kryo, ExperimentDraws.Result.class);
    record(kryo, DecisionFigures.class);
    record(kryo, DrawSummary.class);
    record(kryo, PosteriorSummary.class);
    record(kryo, Dyadic.class);
    record(kryo, HierarchicalPosterior.class);
    kryo.register(SegmentDraw[].class);
    kryo.register(DrawSummary[].class);
    kryo.register(Dyadic[].class);
    kryo.register(SegmentAccumulator.class, new AccumulatorSerializer());
    kryo.register(ExactMoments.class, new AccumulatorSerializer.Moments());
    kryo.register(ArrayList.class);
    kryo.register(HashMap.class);
    kryo.register(double[].class);
    kryo.register(long[].class);
    kryo.register(int[].class);
    kryo.register(String[].class);
  }

  private static <T extends Record> void record(Kryo kryo, Class<T> type) {
    kryo.register(type, new RecordSerializer<>(type));
  }
}
