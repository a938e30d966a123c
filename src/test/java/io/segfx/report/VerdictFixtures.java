package io.segfx.report;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GuardrailStatus;
import io.segfx.model.Verdict;
import java.util.List;

/**
 * Verdicts and decision rows built by hand, one per verdict kind, with reasons in the words of the
 * verdict table (job/VerdictStage): each names its deciding number.
 */
final class VerdictFixtures {
  private VerdictFixtures() {}

  /** The guardrail the investigate fixture breaks. */
  static final String GUARDRAIL = "converted>=-1%";

  /** A verdict of {@code kind} for (id, variant) with {@code reason}. */
  static ExperimentVerdict verdict(String id, String variant, Verdict kind, String reason) {
    double p =
        switch (kind) {
          case LAUNCH -> 0.97;
          case DO_NOT_LAUNCH -> 0.0104;
          case COLLECT_MORE_DATA -> 0.62;
          case INVESTIGATE -> 0.99;
        };
    boolean broken = kind == Verdict.INVESTIGATE;
    return new ExperimentVerdict(
        id,
        variant,
        kind,
        reason,
        "revenue",
        "oec",
        0.25,
        -0.05,
        0.55,
        0.032,
        -0.006,
        0.071,
        0.9,
        (p - 0.5) * 100_000,
        -40_000,
        90_000,
        p,
        1_200,
        3_400,
        broken ? GuardrailStatus.VIOLATED : GuardrailStatus.OK,
        broken ? List.of(GUARDRAIL) : List.of(),
        kind == Verdict.COLLECT_MORE_DATA ? 12_345.4 : 0,
        kind == Verdict.COLLECT_MORE_DATA ? 4.5 : Double.NaN);
  }

  /** The reason the verdict table gives for each kind, naming the deciding number. */
  static String reason(Verdict kind) {
    return switch (kind) {
      case LAUNCH -> "P(profit > 0) = 0.970, at least 0.950, and no guardrail is at risk";
      case DO_NOT_LAUNCH -> "P(profit > 0) = 0.010, at most 0.050";
      case COLLECT_MORE_DATA -> "P(profit > 0) = 0.620, between 0.050 and 0.950";
      case INVESTIGATE ->
          "guardrail " + GUARDRAIL + " is violated: P(bound broken) = 0.981, at least 0.950";
    };
  }

  /** A decision row of (id, metric, variant). */
  static DecisionMetrics decision(String id, String metric, String variant, double profit) {
    return new DecisionMetrics(
        id,
        metric,
        variant,
        0,
        0.01,
        0.005,
        0.0,
        0.02,
        0.97,
        0.5,
        0.1,
        8.5,
        0.05,
        0.15,
        0.4,
        profit,
        profit - 1,
        profit + 1,
        0.9,
        0.1,
        0.2,
        "launch",
        0,
        0,
        0,
        "prior",
        0.5,
        false);
  }
}
