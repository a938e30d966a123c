package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.PooledPosterior;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.ExactMoments;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers what segfx shuffles, collects and broadcasts with Kryo, for clusters that set {@code
 * spark.serializer=KryoSerializer}. Kryo's
 * field serializer cannot build Java records (it needs field offsets records do not give), so
 * records are registered with Java serialization; plain classes use Kryo's default. {@link
 * io.segfx.cli.SegfxMain} appends this registrator to any the user configured.
 */
public final class SegfxKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    JavaSerializer java = new JavaSerializer();
    kryo.register(CellKey.class, java);
    kryo.register(RobustInput.class, java);
    kryo.register(io.segfx.job.CausalImpactJob.Obs.class, java);
    kryo.register(SufficientStatsStage.CellResult.class, java);
    kryo.register(SegmentEstimate.class, java);
    kryo.register(DecisionMetrics.class, java);
    kryo.register(PooledPosterior.class, java);
    kryo.register(io.segfx.stats.SegmentDraw.class, java);
    kryo.register(io.segfx.stats.SegmentDraw[].class, java);
    kryo.register(io.segfx.stats.ExperimentDraws.Result.class, java);
    kryo.register(io.segfx.stats.DrawSummary.class, java);
    kryo.register(io.segfx.stats.StudentSummary.class, java);
    kryo.register(io.segfx.stats.Dyadic.class, java);
    kryo.register(io.segfx.stats.Dyadic[].class, java);
    kryo.register(SegmentAccumulator.class);
    kryo.register(ExactMoments.class);
    kryo.register(java.util.ArrayList.class);
    kryo.register(java.util.HashMap.class);
    kryo.register(double[].class);
    kryo.register(int[].class);
    kryo.register(String[].class);
  }
}
