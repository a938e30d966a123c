package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.model.ArmPosterior;
import io.segfx.model.SegmentEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The arm table against counts summed by hand. */
class BinaryMetricTablesTest {
  /**
   * Three experiments whose ids sort differently as text and as numbers, given out of order, with
   * two variants, three segments and a continuous metric beside the binary one, and one unusable
   * cell: every arm's counts equal the sums made here directly (the control of a segment counted
   * once, not once per variant; the experiment rows summing the segments), the posterior is the
   * prior plus those counts, and the rows come in the table's order (experiment, metric, segment
   * rows before the experiment's, segment, arm), which is checked by listing the expected keys in
   * that order by hand.
   */
  @Test
  void armsAreTheCountsOfEachExperimentInTableOrder() {
    Random r = new Random(5);
    String[] experiments = {"e2", "e10", "e1"};
    String[] segments = {"s2", "s1", "s3"};
    List<SegmentEstimate> grid = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (String e : new String[] {"e1", "e10", "e2"}) {
      // Expected rows of e, in table order: segment rows by segment then arm, then the totals.
      for (String s : new String[] {"s1", "s2", "s3"}) {
        for (String arm : new String[] {"0", "1", "2"}) {
          expected.add(String.join("|", e, "conv", "segment", s, arm));
        }
      }
      for (String arm : new String[] {"0", "1", "2"}) {
        expected.add(String.join("|", e, "conv", "experiment", "(all)", arm));
      }
    }
    for (String e : experiments) {
      for (String s : segments) {
        long n0 = 50 + r.nextInt(50);
        long y0 = r.nextInt((int) n0);
        for (String v : new String[] {"2", "1"}) {
          long n1 = 50 + r.nextInt(50);
          long y1 = r.nextInt((int) n1);
          grid.add(cell(e, "conv", v, s, n0, y0, n1, y1, "binary", "ok"));
          grid.add(cell(e, "rev", v, s, n0, y0, n1, y1, "continuous", "ok"));
        }
      }
    }
    // An unusable cell contributes nothing.
    grid.add(cell("e1", "conv", "1", "s9", 10, 1, 10, 2, "binary", "too_few_rows"));
    JobSpec spec = spec();
    List<ArmPosterior> arms = BinaryMetricTables.arms(spec, grid);
    List<String> got = new ArrayList<>();
    for (ArmPosterior a : arms) {
      got.add(String.join("|", a.experimentId(), a.metric(), a.level(), a.segment(), a.arm()));
      long n = 0;
      long y = 0;
      for (SegmentEstimate c : grid) {
        boolean here =
            c.experimentId().equals(a.experimentId())
                && c.metric().equals(a.metric())
                && c.usable()
                && (a.segment().equals("(all)") || c.segment().equals(a.segment()));
        if (!here) {
          continue;
        }
        if (a.arm().equals("0")) {
          // Each segment's control once: from its first variant's cell (variant "2" here).
          if (c.variant().equals("2")) {
            n += c.nControl();
            y += c.successesControl();
          }
        } else if (c.variant().equals(a.arm())) {
          n += c.nTreatment();
          y += c.successesTreatment();
        }
      }
      String at = got.get(got.size() - 1);
      assertEquals(n, a.n(), "n " + at);
      assertEquals(y, a.successes(), "successes " + at);
      assertEquals(a.priorAlpha() + y, a.postAlpha(), 0.0, "alpha " + at);
      assertEquals(a.priorBeta() + n - y, a.postBeta(), 0.0, "beta " + at);
    }
    assertEquals(expected, got);
  }

  private static SegmentEstimate cell(
      String e,
      String metric,
      String variant,
      String segment,
      long n0,
      long y0,
      long n1,
      long y1,
      String kind,
      String status) {
    double nan = Double.NaN;
    return new SegmentEstimate(
        e,
        metric,
        variant,
        segment,
        n0,
        n1,
        0.1,
        0.05,
        n0 + n1 - 2,
        status,
        kind,
        y0,
        y1,
        (double) y0 / n0,
        nan,
        (double) y1 / n1,
        nan,
        nan,
        nan,
        nan,
        null,
        nan,
        0.05,
        "beta_binomial");
  }

  private static JobSpec spec() {
    String[] args = {
      "--input", "unused", "--output", "unused", "--control-arm", "0", "--metric", "rev,conv:binary"
    };
    return JobSpec.from(
        OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
  }
}
