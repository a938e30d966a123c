package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.RunOutput;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GroupKey;
import io.segfx.model.LearnedEffect;
import io.segfx.model.MetricSpec;
import io.segfx.model.VariantKey;
import io.segfx.report.DecisionMemo;
import io.segfx.report.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Writes {@code memos/<experiment>.md} (or {@code <experiment>--<variant>.md} for A/B/n) from the
 * run's final tables, one memo per (experiment, variant) with a block per metric.
 */
final class MemoStage {
  static final String FOLDER = "memos";

  private MemoStage() {}

  /** Writes the memos; returns each (experiment, variant)'s memo path inside the output folder. */
  static Map<VariantKey, String> write(
      RunOutput out,
      JobSpec spec,
      List<ExperimentPooling> pooling,
      DecisionAssembly.Tables tables,
      List<LearnedEffect> learned,
      long rowsRead,
      long rowsRejected) {
    Map<VariantKey, List<DecisionMemo.MetricBlock>> memos = blocks(pooling, tables, learned, spec);
    List<String> names = DecisionMemo.safeNames(ids(memos.keySet()));
    Map<VariantKey, ExperimentVerdict> verdicts =
        GroupKeys.unique(tables.verdicts(), ExperimentVerdict::key);
    DecisionMemo.RunFacts facts =
        new DecisionMemo.RunFacts(
            rowsRead,
            rowsRejected,
            spec.launchProbability(),
            spec.design(),
            spec.confoundingWarning(),
            labels(spec),
            spec.guardrailProb());
    Map<VariantKey, String> paths = new LinkedHashMap<>();
    List<Map.Entry<VariantKey, List<DecisionMemo.MetricBlock>>> entries =
        new ArrayList<>(memos.entrySet());
    for (int i = 0; i < entries.size(); i++) {
      paths.put(entries.get(i).getKey(), FOLDER + "/" + names.get(i) + ".md");
    }
    // Independent files: rendered and written in parallel.
    IntStream.range(0, entries.size())
        .parallel()
        .forEach(
            i -> {
              VariantKey k = entries.get(i).getKey();
              out.writeText(
                  paths.get(k),
                  DecisionMemo.render(
                      k.experiment(),
                      k.variant(),
                      verdicts.get(k),
                      entries.get(i).getValue(),
                      facts));
            });
    return paths;
  }

  /** Each memo's metric blocks, memos in (experiment, variant) order, blocks in table order. */
  private static Map<VariantKey, List<DecisionMemo.MetricBlock>> blocks(
      List<ExperimentPooling> pooling,
      DecisionAssembly.Tables tables,
      List<LearnedEffect> learned,
      JobSpec spec) {
    Map<GroupKey, LearnedEffect> learnedByKey = GroupKeys.unique(learned, l -> l.without().key());
    GroupKeys.Index index = GroupKeys.Index.of(pooling, tables);
    Map<VariantKey, List<DecisionMemo.MetricBlock>> memos = new TreeMap<>();
    for (DecisionMetrics d : tables.decisions()) {
      GroupKey key = d.key();
      memos
          .computeIfAbsent(key.variantKey(), k -> new ArrayList<>())
          .add(
              new DecisionMemo.MetricBlock(
                  d,
                  index.pools().get(key),
                  index.segments(key),
                  index.grid(key),
                  index.bias(key),
                  learnedByKey.get(key),
                  spec.threshold(d.metric())));
    }
    return memos;
  }

  /** The currency and each metric's unit label of the spec, for the memos and the report. */
  static Labels labels(JobSpec spec) {
    Map<String, String> units = new LinkedHashMap<>();
    for (MetricSpec m : spec.metricSpecs()) {
      String u = spec.metricUnit(m.column());
      if (u != null) {
        units.put(m.column(), u);
      }
    }
    // The derived value metric is money per unit.
    if (spec.currency() != null) {
      units.put(JobSpec.OEC, spec.currency());
    }
    return new Labels(spec.currency(), units);
  }

  /**
   * Each memo's file name before {@link DecisionMemo#safeNames}: the experiment, with the variant
   * appended when the experiment has more than one.
   */
  private static List<String> ids(Iterable<VariantKey> keys) {
    Map<String, Integer> variants = new HashMap<>();
    for (VariantKey k : keys) {
      variants.merge(k.experiment(), 1, Integer::sum);
    }
    List<String> ids = new ArrayList<>();
    for (VariantKey k : keys) {
      ids.add(
          variants.get(k.experiment()) > 1 ? k.experiment() + "--" + k.variant() : k.experiment());
    }
    return ids;
  }
}
