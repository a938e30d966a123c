package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.segfx.stats.PooledSegmentSummary;
import io.segfx.stats.SegmentDraw;
import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.TauPrior;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Every value segfx ships through Spark's Kryo serializer comes back equal, component by component
 * (arrays, nulls, NaN and nested records included), with {@link SegfxKryoRegistrator} as the job
 * configures it.
 */
class RecordSerializerTest {
  private static final SerializerInstance KRYO =
      new KryoSerializer(
              new SparkConf(false)
                  .set("spark.kryo.registrator", SegfxKryoRegistrator.class.getName()))
          .newInstance();
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

  private static Object roundTrip(Object value) {
    ByteBuffer bytes = KRYO.serialize(value, ANY);
    return KRYO.deserialize(bytes, ANY);
  }

  private static void assertRoundTrip(Object value) {
    Object back = roundTrip(value);
    assertNotSame(value, back);
    assertTrue(deepEquals(value, back), () -> "differs after Kryo: " + value.getClass().getName());
  }

  private static SegmentEstimate estimate(
      String segment, Long successes, PosteriorSummary summary) {
    return new SegmentEstimate(
        "exp-ü",
        "revenue",
        "t",
        segment,
        120,
        130,
        0.25,
        0.1,
        246,
        "ok",
        "continuous",
        successes,
        successes == null ? null : successes + 3,
        10.5,
        80.25,
        10.75,
        Double.NaN,
        0.24,
        0.11,
        250,
        summary,
        Double.NaN,
        0.1,
        "classical");
  }

  /** Two estimates: with a summary and no successes, and the reverse. */
  private static final SegmentEstimate A =
      estimate("a", null, new PosteriorSummary(0.24, 0.11, 0.02, 0.46, 0.98, 0.7));

  private static final SegmentEstimate B = estimate("b", 17L, null);

  @Test
  void everyShippedRecordRoundTrips() {
    SegmentEstimate a = A;
    SegmentEstimate b = B;
    RobustInput robust =
        new RobustInput(
            "e",
            "s",
            "t",
            1,
            3,
            100,
            110,
            new double[] {1, 2},
            new double[] {3, 4},
            5,
            6,
            new double[] {0.5, -0.5},
            new double[] {0.1, 0.2},
            4);
    assertRoundTrip(new CellKey(false, "e", "s"));
    assertRoundTrip(new CellKey(true, null, "null:y"));
    assertRoundTrip(a);
    assertRoundTrip(b);
    assertRoundTrip(robust);
    assertRoundTrip(
        new SufficientStatsStage.TaskResult(
            250, new TreeMap<>(Map.of("null:arm", 3L)), List.of(a, b), List.of(robust)));
    assertRoundTrip(
        new SufficientStatsStage.TaskResult(3, new TreeMap<>(), new ArrayList<>(), List.of()));
    assertRoundTrip(new SeriesPoint(4.5, 100.25, new double[] {1, 2, 3}, 1));
    assertRoundTrip(new Dyadic(new BigInteger("-123456789012345678901234567890"), -70));
    DecisionMetrics d = DecisionMetrics.insufficientData("e", "revenue", "t", "flat");
    assertRoundTrip(d);
    DecisionFigures f =
        new DecisionFigures(
            500,
            0.1,
            0.05,
            0.0,
            0.2,
            0.97,
            0.6,
            0.02,
            8.5,
            -0.01,
            0.05,
            0.5,
            10,
            -1,
            20,
            0.9,
            0.3,
            10.3,
            "collect_more_data",
            0.002,
            0.001,
            0.004);
    assertRoundTrip(f);
    DrawSummary ds = new DrawSummary(1, 2, 0.5, 1.5, 0.9, 0.4, 0.01, 0.002);
    assertRoundTrip(
        new ExperimentDraws.Result(
            f,
            new double[] {0.1},
            new double[] {0.2},
            new DrawSummary[] {ds, null},
            new double[PooledSegmentSummary.FIELDS],
            new double[] {8.5},
            new double[] {-0.01},
            new double[] {0.3}));
    assertRoundTrip(
        new ExperimentDraws.Result(
            f,
            new double[] {0.1, Double.NaN},
            new double[] {0.2, 0.3},
            new DrawSummary[2],
            new double[] {
              1,
              0.5,
              0.1,
              1.9,
              0.97,
              0.6,
              0.8,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN
            },
            new double[] {8.5, Double.NaN},
            new double[] {-0.01, Double.NaN},
            new double[] {0.3, Double.NaN}));
    SegmentDraw seg =
        new SegmentDraw(
            "a",
            0.5,
            SegmentDraw.Kind.STUDENT,
            new double[] {0.2, 0.1, 7},
            SegmentDraw.Kind.NORMAL,
            new double[] {10, 2},
            true);
    PooledPosterior pooled =
        new PooledPosterior(
            "e",
            "revenue",
            "t",
            new SegmentDraw[] {seg, seg},
            new long[] {100, 200},
            "flat",
            FullBayesPooling.fit(
                new double[] {1, 2, 3.5}, new double[] {1, 1.5, 0.7}, TauPrior.UNIFORM, null));
    assertRoundTrip(pooled);
    Map<String, List<RobustInput>> byCell = new HashMap<>();
    byCell.put("5:cell", new ArrayList<>(List.of(robust)));
    assertRoundTrip(byCell);
  }

  /**
   * Stage 3's broadcast records go through {@link PosteriorSerializer}: every component, special
   * doubles bit for bit (NaN as Kryo writes it), null hierarchy, prior and variant, the NONE
   * baseline, and a broadcast-shaped map of many groups.
   */
  @Test
  void pooledPosteriorsRoundTripThroughTheirSerializer() {
    SegmentDraw odd =
        new SegmentDraw(
            "ü ö",
            -0.0,
            SegmentDraw.Kind.STUDENT_DIFF,
            new double[] {Double.NaN, Double.MIN_VALUE, Double.POSITIVE_INFINITY, -0.0, 1e300, 3},
            SegmentDraw.Kind.NONE,
            new double[0],
            false);
    SegmentDraw beta =
        new SegmentDraw(
            "b",
            0.25,
            SegmentDraw.Kind.BETA_DIFF,
            new double[] {3, 97, 2, 98},
            SegmentDraw.Kind.BETA,
            new double[] {2, 98},
            true);
    PooledPosterior closed =
        new PooledPosterior(
            "e", "converted", null, new SegmentDraw[] {odd, beta}, new long[] {0, -1}, null, null);
    assertRoundTrip(closed);
    Map<Integer, PooledPosterior> broadcast = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      double[] y = {i, 2, 3.5 - i / 100.0};
      broadcast.put(
          i,
          new PooledPosterior(
              "exp-" + i,
              "revenue",
              "t",
              new SegmentDraw[] {odd, beta, odd},
              new long[] {i, Long.MAX_VALUE, 7},
              i % 2 == 0 ? "flat" : null,
              i % 3 == 0
                  ? null
                  : FullBayesPooling.fit(y, new double[] {1, 1.5, 0.7}, TauPrior.UNIFORM, null)));
    }
    assertRoundTrip(broadcast);
    assertTrue(
        KRYO.serialize(closed, ANY).remaining() < 200,
        "no class names or reference tags inside a group");
  }

  @Test
  void aComponentAFieldByFieldSerializerDoesNotWriteFailsLoudly() {
    IllegalStateException e =
        Assertions.assertThrows(
            IllegalStateException.class,
            () -> RecordShape.check(SeriesPoint.class, List.of("time", "value")));
    assertTrue(e.getMessage().contains("SeriesPoint"), e.getMessage());
    // The records as they are match what they write (the registrator builds each).
    Assertions.assertDoesNotThrow(PosteriorSerializer::new);
    Assertions.assertDoesNotThrow(EstimateSerializer::new);
    Assertions.assertDoesNotThrow(EstimateSerializer.Tasks::new);
  }

  /**
   * Stage 1's results go through {@link EstimateSerializer}: nulls in every nullable component,
   * special doubles, negative and extreme counts, and a cell with no estimate list.
   */
  @Test
  void segmentEstimatesRoundTripThroughTheirSerializer() {
    SegmentEstimate odd =
        new SegmentEstimate(
            "e",
            "converted",
            null,
            "",
            Long.MAX_VALUE,
            -1,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Long.MIN_VALUE,
            null,
            null,
            0L,
            Long.MIN_VALUE,
            -0.0,
            Double.MIN_VALUE,
            -Double.MAX_VALUE,
            1e-310,
            Double.NEGATIVE_INFINITY,
            0,
            1,
            new PosteriorSummary(Double.NaN, 0, -0.0, 1, 0.5, Double.NaN),
            0.25,
            Double.NaN,
            null);
    assertRoundTrip(odd);
    assertRoundTrip(
        new SufficientStatsStage.TaskResult(
            -5,
            new TreeMap<>(Map.of("", Long.MAX_VALUE, "not_numeric:x", 0L)),
            List.of(odd, odd),
            List.of()));
  }

  /**
   * A task's estimates write the texts they share with the estimate before them once: every
   * combination of shared and differing texts, nulls included, comes back equal, and a repeated
   * estimate costs none of its texts' bytes.
   */
  @Test
  void aTasksEstimatesShareTheirTexts() {
    SegmentEstimate a = A;
    SegmentEstimate b = B;
    SegmentEstimate nulls =
        new SegmentEstimate(
            "exp-ü", null, null, "a", 1, 2, 0.5, 0.1, 3, null, "binary", 1L, 2L, 0, 0, 0, 0, 0, 0,
            0, null, 0, 0, null);
    assertRoundTrip(task(a, a, b, nulls, nulls, a, b, b));
    int one = KRYO.serialize(task(a), ANY).limit();
    int two = KRYO.serialize(task(a, a), ANY).limit();
    int texts = 0;
    for (String t :
        List.of(a.experimentId(), a.metric(), a.variant(), a.segment(), a.status(), a.kind())) {
      texts += t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    assertTrue(
        two - one <= one - texts, () -> one + " bytes for one estimate, " + two + " for two");
    SufficientStatsStage.TaskResult back = (SufficientStatsStage.TaskResult) roundTrip(task(a, b));
    assertSame(back.estimates().get(0).experimentId(), back.estimates().get(1).experimentId());
  }

  private static SufficientStatsStage.TaskResult task(SegmentEstimate... estimates) {
    return new SufficientStatsStage.TaskResult(1, new TreeMap<>(), List.of(estimates), List.of());
  }

  @Test
  void repeatedStringsAreReadAsOneCopy() {
    // Results collected on the driver repeat ids and labels across records: each is kept once.
    SegmentEstimate a = (SegmentEstimate) roundTrip(estimate("a", null, null));
    SegmentEstimate b = (SegmentEstimate) roundTrip(estimate("b", 17L, null));
    assertSame(a.experimentId(), b.experimentId());
    assertSame(a.status(), b.status());
    assertEquals("a", a.segment());
    assertEquals("b", b.segment());
    assertTrue(deepEquals(estimate("b", 17L, null), b));
  }

  @Test
  void repeatedStringsAreOneCopyAcrossKryoInstances() {
    // The executor's serializer pools many Kryo instances and hands them out in turn: a string read
    // through one and again through another is still one copy.
    SerializerInstance other =
        new KryoSerializer(
                new SparkConf(false)
                    .set("spark.kryo.registrator", SegfxKryoRegistrator.class.getName()))
            .newInstance();
    SegmentEstimate a = (SegmentEstimate) roundTrip(estimate("a", null, null));
    SegmentEstimate b =
        (SegmentEstimate) other.deserialize(other.serialize(estimate("b", 17L, null), ANY), ANY);
    assertSame(a.experimentId(), b.experimentId());
    assertSame(a.status(), b.status());
  }

  @Test
  void stageOneAccumulatorsRoundTripExactly() {
    // The (0, 1) product is not accumulated: the flags travel with the sums.
    SegmentAccumulator acc = new SegmentAccumulator("e", "s", 2, new boolean[] {true, false, true});
    ExactMoments m = acc.armAt(0, "control");
    m.accept(new double[] {1e-300, 3});
    m.accept(new double[] {1e140, -2.5});
    SegmentAccumulator back = (SegmentAccumulator) roundTrip(acc);
    ExactMoments mb = back.arm("control");
    assertEquals(m.count(), mb.count());
    for (int i = 0; i < 2; i++) {
      assertEquals(0, m.sum(i).compareTo(mb.sum(i)));
      assertEquals(0, m.crossProduct(i, i).compareTo(mb.crossProduct(i, i)));
    }
    Assertions.assertThrows(IllegalStateException.class, () -> mb.crossProduct(0, 1));
    // The copy still accumulates (its per-row scratch is rebuilt after deserialisation).
    mb.accept(new double[] {1, 1});
    assertEquals(3, mb.count());
  }

  @Test
  void accumulatorsOfManyRowsRoundTripExactlyAndCompactly() {
    // Two arms, every product (null flags), rows through a task's bins as the scan adds them, and
    // the quarantine tally's fields: every sum comes back exactly and the flags are shared.
    SegmentAccumulator acc = new SegmentAccumulator("exp-1", "seg-a", 3, null);
    ExactMoments.Bins bins = new ExactMoments.Bins(4);
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < 300; i++) {
      double[] row = {r.nextGaussian(), 1e9 + r.nextGaussian(), r.nextInt(2)};
      acc.armAt(i % 2, i % 2 == 0 ? "control" : "treatment").accept(row, bins);
    }
    bins.flush();
    acc.rows = 300;
    acc.rejected = 4;
    ByteBuffer bytes = KRYO.serialize(acc, ANY);
    SegmentAccumulator back = (SegmentAccumulator) KRYO.deserialize(bytes, ANY);
    assertEquals(List.of("control", "treatment"), back.arms);
    assertEquals(300, back.rows);
    assertEquals(4, back.rejected);
    for (String arm : acc.arms) {
      ExactMoments m = acc.arm(arm);
      ExactMoments mb = back.arm(arm);
      assertEquals(m.count(), mb.count());
      for (int i = 0; i < 3; i++) {
        assertEquals(m.sumExact(i), mb.sumExact(i));
        for (int j = i; j < 3; j++) {
          assertEquals(m.crossExact(i, j), mb.crossExact(i, j));
        }
      }
    }
    // Nine sums per arm, each a 10-limb window: 720 bytes per arm at eight bytes a limb. A
    // normalised limb is a 32-bit digit, mostly zero, written as a varint.
    assertTrue(bytes.remaining() < 2 * 9 * 10 * 8 / 2, "bytes " + bytes.remaining());
    // Combining the copies gives the doubled sums, exactly.
    ExactMoments twice = back.arm("control").combine(back.arm("control"));
    assertEquals(acc.arm("control").sumExact(1).multiply(2), twice.sumExact(1));
    ExactMoments alone = (ExactMoments) roundTrip(acc.arm("treatment"));
    assertEquals(acc.arm("treatment").crossExact(1, 1), alone.crossExact(1, 1));
  }

  @Test
  void readAccumulatorsKeepTheWrittenFormUntilRead() throws Exception {
    // A reduce task holds cells as read: written again unread, a cell gives the same bytes; merged
    // with another copy, or Java-serialised, its sums are exactly the original's.
    SegmentAccumulator acc = new SegmentAccumulator("exp-7", "seg-b", 3, null);
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    for (int i = 0; i < 40; i++) {
      double[] row = {-1e9 + r.nextGaussian(), r.nextGaussian(), r.nextInt(2)};
      acc.armAt(i % 2, i % 2 == 0 ? "control" : "treatment").accept(row);
    }
    acc.armAt(0, "control").accept(new double[] {1e140, 1e-140, 1}); // an overflow value
    acc.rows = 41;
    ByteBuffer bytes = KRYO.serialize(acc, ANY);
    byte[] first = new byte[bytes.remaining()];
    bytes.get(first);
    SegmentAccumulator back = (SegmentAccumulator) KRYO.deserialize(ByteBuffer.wrap(first), ANY);
    Assertions.assertNotNull(back.packedState(0));
    ByteBuffer again = KRYO.serialize(back, ANY);
    byte[] second = new byte[again.remaining()];
    again.get(second);
    Assertions.assertArrayEquals(first, second);
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(buf)) {
      out.writeObject(back);
    }
    SegmentAccumulator viaJava;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(buf.toByteArray()))) {
      viaJava = (SegmentAccumulator) in.readObject();
    }
    SegmentAccumulator other = (SegmentAccumulator) KRYO.deserialize(ByteBuffer.wrap(first), ANY);
    SegmentAccumulator merged = back.merge(other);
    for (String arm : acc.arms) {
      ExactMoments m = acc.arm(arm);
      assertEquals(m.count(), viaJava.arm(arm).count());
      assertEquals(2 * m.count(), merged.arm(arm).count());
      for (int i = 0; i < 3; i++) {
        for (int j = i; j < 3; j++) {
          assertEquals(m.crossExact(i, j), viaJava.arm(arm).crossExact(i, j));
          assertEquals(m.crossExact(i, j).multiply(2), merged.arm(arm).crossExact(i, j));
        }
        assertEquals(m.sumExact(i).multiply(2), merged.arm(arm).sumExact(i));
      }
    }
    Assertions.assertNull(merged.packedState(0));
  }

  /** Equality through records' components, arrays' elements and other classes' fields. */
  private static boolean deepEquals(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    Class<?> c = a.getClass();
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!deepEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) {
        return false;
      }
      for (Object k : ma.keySet()) {
        if (!deepEquals(ma.get(k), mb.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (c != b.getClass()) {
      return false;
    }
    if (c.isArray()) {
      if (c.getComponentType().isPrimitive()) {
        return Objects.deepEquals(a, b);
      }
      if (Array.getLength(a) != Array.getLength(b)) {
        return false;
      }
      for (int i = 0; i < Array.getLength(a); i++) {
        if (!deepEquals(Array.get(a, i), Array.get(b, i))) {
          return false;
        }
      }
      return true;
    }
    if (c.isRecord()) {
      try {
        for (RecordComponent rc : c.getRecordComponents()) {
          rc.getAccessor().setAccessible(true);
          if (!deepEquals(rc.getAccessor().invoke(a), rc.getAccessor().invoke(b))) {
            return false;
          }
        }
        return true;
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    if (c.getName().startsWith("java.")) {
      return a.equals(b);
    }
    try {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        if (!deepEquals(f.get(a), f.get(b))) {
          return false;
        }
      }
      return true;
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
