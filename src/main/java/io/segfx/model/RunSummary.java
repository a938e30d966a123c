package io.segfx.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The run's decisions at a glance: how many (experiment, variant) pairs got each verdict, and the
 * expected number of wrong launches, the sum over launched pairs of P(primary effect &le; 0). That
 * sum is the posterior expectation of the count of launches whose true effect is not positive, the
 * Bayesian counterpart of a false-discovery count across many experiments; its sd, {@code sqrt(Σ
 * p(1 − p))}, is the spread of that count when the launches' errors are independent.
 *
 * @param verdictCounts pairs per verdict, every verdict present, in declaration order
 * @param expectedWrongLaunches Σ over launched pairs of P(primary effect &le; 0)
 * @param wrongLaunchesSd sqrt(Σ p(1 − p)) over the same pairs
 * @param expectedWrongLaunchesLearned the same sum with each primary effect restated under the
 *     learned prior, or NaN where no learned prior ran
 */
public record RunSummary(
    Map<Verdict, Long> verdictCounts,
    double expectedWrongLaunches,
    double wrongLaunchesSd,
    double expectedWrongLaunchesLearned)
    implements Serializable {

  public RunSummary {
    EnumMap<Verdict, Long> all = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      all.put(v, verdictCounts.getOrDefault(v, 0L));
    }
    verdictCounts = Collections.unmodifiableMap(all);
  }

  /**
   * The summary of {@code verdicts}.
   *
   * @param learnedProbPositive P(primary effect &gt; 0) under the learned prior for each verdict
   *     (in the same order; NaN where not restated), or null where no learned prior ran
   */
  public static RunSummary of(List<ExperimentVerdict> verdicts, double[] learnedProbPositive) {
    Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
    double wrong = 0;
    double var = 0;
    double learned = 0;
    for (int i = 0; i < verdicts.size(); i++) {
      ExperimentVerdict v = verdicts.get(i);
      counts.merge(v.verdict(), 1L, Long::sum);
      if (v.verdict() == Verdict.LAUNCH) {
        // Clamped: a probability summed from draws or series may stray past 1 by rounding.
        double p = Math.min(1, Math.max(0, 1 - v.probEffectPositive()));
        wrong += p;
        var += p * (1 - p);
        if (learnedProbPositive != null) {
          learned += Math.min(1, Math.max(0, 1 - learnedProbPositive[i]));
        }
      }
    }
    return new RunSummary(
        counts, wrong, Math.sqrt(var), learnedProbPositive == null ? Double.NaN : learned);
  }

  /** Pairs with verdict {@code v}. */
  public long count(Verdict v) {
    return verdictCounts.get(v);
  }
}
