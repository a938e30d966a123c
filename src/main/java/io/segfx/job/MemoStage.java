package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.RunOutput;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentPosterior;
import io.segfx.report.DecisionMemo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@code memos/<experiment>.md} (or {@code <experiment>--<variant>.md} for A/B/n) from the
 * run's final tables, one memo per (experiment, variant) with a block per metric.
 */
final class MemoStage {
  static final String FOLDER = "memos";

  private MemoStage() {}

  /** Writes the memos; returns each (experiment, variant)'s memo path inside the output folder. */
  static Map<List<String>, String> write(
      RunOutput out,
      JobSpec spec,
      List<ExperimentPooling> pooling,
      DecisionAssembly.Tables tables,
      List<io.segfx.model.LearnedEffect> learned,
      long rowsRead,
      long rowsRejected) {
    Map<List<String>, io.segfx.model.LearnedEffect> learnedByKey =
        GroupKeys.unique(
            learned,
            l ->
                GroupKeys.of(
                    l.without().experimentId(), l.without().metric(), l.without().variant()));
    Map<List<String>, ExperimentPooling> pools =
        GroupKeys.unique(pooling, p -> GroupKeys.of(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, List<SegmentPosterior>> segments =
        GroupKeys.group(
            tables.posteriors(), p -> GroupKeys.of(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, List<PriorSensitivity>> grid =
        GroupKeys.group(
            tables.sensitivity(), p -> GroupKeys.of(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, List<io.segfx.model.BiasSensitivity>> bias =
        GroupKeys.group(
            tables.bias(), b -> GroupKeys.of(b.experimentId(), b.metric(), b.variant()));
    Map<List<String>, List<DecisionMemo.MetricBlock>> memos =
        new TreeMap<>(PoolingStage::compareKeys);
    Map<String, TreeSet<String>> variants = new HashMap<>();
    for (DecisionMetrics d : tables.decisions()) {
      List<String> key = List.of(d.experimentId(), d.metric(), d.variant());
      memos
          .computeIfAbsent(List.of(d.experimentId(), d.variant()), k -> new ArrayList<>())
          .add(
              new DecisionMemo.MetricBlock(
                  d,
                  pools.get(key),
                  segments.getOrDefault(key, List.of()),
                  grid.getOrDefault(key, List.of()),
                  bias.getOrDefault(key, List.of()),
                  learnedByKey.get(key)));
      variants.computeIfAbsent(d.experimentId(), k -> new TreeSet<>()).add(d.variant());
    }
    Map<List<String>, String> ids = new LinkedHashMap<>();
    for (List<String> k : memos.keySet()) {
      ids.put(k, variants.get(k.get(0)).size() > 1 ? k.get(0) + "--" + k.get(1) : k.get(0));
    }
    List<String> names = DecisionMemo.safeNames(ids.values());
    DecisionMemo.RunFacts facts =
        new DecisionMemo.RunFacts(
            rowsRead,
            rowsRejected,
            spec.launchProbability(),
            spec.design(),
            spec.confoundingWarning());
    Map<List<String>, String> paths = new LinkedHashMap<>();
    List<Map.Entry<List<String>, List<DecisionMemo.MetricBlock>>> entries =
        new ArrayList<>(memos.entrySet());
    for (int i = 0; i < entries.size(); i++) {
      paths.put(entries.get(i).getKey(), FOLDER + "/" + names.get(i) + ".md");
    }
    // Independent files: rendered and written in parallel.
    java.util.stream.IntStream.range(0, entries.size())
        .parallel()
        .forEach(
            i -> {
              List<String> k = entries.get(i).getKey();
              out.writeText(
                  paths.get(k),
                  DecisionMemo.render(k.get(0), k.get(1), entries.get(i).getValue(), facts));
            });
    return paths;
  }
}
