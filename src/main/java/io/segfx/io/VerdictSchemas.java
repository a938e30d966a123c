package io.segfx.io;

import static io.segfx.io.Schemas.EXPERIMENT_ID;
import static io.segfx.io.Schemas.dbl;
import static io.segfx.io.Schemas.int64;
import static io.segfx.io.Schemas.str;

import io.segfx.io.TableSchema.Command;
import io.segfx.model.ExperimentVerdict;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The segment job's verdict table, declared once (see {@link Schemas}), and its rows. */
public final class VerdictSchemas {
  private VerdictSchemas() {}

  public static final TableSchema EXPERIMENT_VERDICTS =
      TableSchema.of(
          "experiment_verdicts",
          Command.SEGMENT_EFFECTS,
          "One row per (experiment, variant): the verdict, taken on the primary metric's effect,"
              + " the profit of the value metric and the guardrails (README, \"Verdicts\"). Profit"
              + " columns are empty without decision analysis.",
          List.of(
              EXPERIMENT_ID,
              str("variant", "the treatment arm compared with control"),
              str(
                  "verdict",
                  "`launch`, `do_not_launch`, `collect_more_data` or `investigate` (sample-ratio"
                      + " mismatch, a violated guardrail, or an observational design without"
                      + " `--bias-prior`)"),
              str("reason", "one sentence naming the number that decides"),
              str("primary_metric", "the metric whose effect is reported (`--primary-metric`)"),
              dbl("effect_mean", "posterior mean of the primary metric's experiment-level effect"),
              dbl("effect_q025", "its 2.5% posterior quantile"),
              dbl("effect_q975", "its 97.5% posterior quantile"),
              dbl("relative_effect_mean", "posterior mean of effect / control level"),
              dbl("relative_q025", "2.5% posterior quantile of effect / control level"),
              dbl("relative_q975", "97.5% posterior quantile of effect / control level"),
              dbl(
                  "expected_profit",
                  "posterior mean of users × value effect − cost, the cost charged once"),
              dbl("profit_q025", "its 2.5% posterior quantile"),
              dbl("profit_q975", "its 97.5% posterior quantile"),
              dbl("prob_profit_positive", "posterior P(profit > 0), which the launch rule reads"),
              dbl("expected_loss_launch", "E[max(−profit, 0)]: expected loss of launching"),
              dbl("expected_loss_wait", "E[max(profit, 0)]: expected loss of not launching"),
              str("guardrail_status", "`ok`, `violated`, `uncertain` or `none`"),
              str(
                  "guardrails_violated",
                  "the violated guardrails as given, comma-separated; empty when none"),
              int64(
                  "units_to_decide",
                  "for `collect_more_data`: further units per arm after which the rule is more"
                      + " likely than not to decide (preposterior analysis); 0 when decided;"
                      + " empty for `investigate` or when it cannot be told"),
              dbl(
                  "days_to_decide",
                  "units_to_decide × arms / `--units-per-day`; empty without that option"),
              str(
                  "value_metric",
                  "the metric whose profit decides: the primary metric, or `oec`, the"
                      + " value-weighted sum of the metrics"),
              dbl("prob_effect_positive", "posterior P(primary effect > 0)")));

  /** The table's rows, in the order given. */
  public static List<Row> rows(List<ExperimentVerdict> verdicts) {
    List<Row> out = new ArrayList<>(verdicts.size());
    for (ExperimentVerdict v : verdicts) {
      out.add(
          RowFactory.create(
              v.experimentId(),
              v.variant(),
              v.verdict().code(),
              v.reason(),
              v.primaryMetric(),
              v.effectMean(),
              v.effectQ025(),
              v.effectQ975(),
              v.relativeEffectMean(),
              v.relativeQ025(),
              v.relativeQ975(),
              empty(v.expectedProfit()),
              empty(v.profitQ025()),
              empty(v.profitQ975()),
              empty(v.probProfitPositive()),
              empty(v.expectedLossLaunch()),
              empty(v.expectedLossWait()),
              v.guardrailStatus().code(),
              String.join(",", v.guardrailsViolated()),
              Double.isFinite(v.unitsToDecide()) ? (Long) (long) v.unitsToDecide() : null,
              empty(v.daysToDecide()),
              v.valueMetric(),
              v.probEffectPositive()));
    }
    return out;
  }

  /** NaN, a figure the run cannot give, as an empty cell. */
  private static Double empty(double x) {
    return Double.isNaN(x) ? null : x;
  }
}
