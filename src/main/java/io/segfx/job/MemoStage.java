package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.config.MemoScope;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Writes the decision memos from the run's final tables, one memo per (experiment, variant) with a
 * block per metric: {@code memos/<experiment>.md} (or {@code <experiment>--<variant>.md} for A/B/n)
 * for the memos {@code --memos} asks for, and, unless it is {@code none}, one combined file {@code
 * memos/all.md}, written as a stream: a digest of every (experiment, variant) in order ({@link
 * DecisionMemo#digest}). A digest rather than every full memo: a full memo costs hundreds of
 * microseconds to render, a digest block a few, and a wide run has 100,000 of them.
 */
final class MemoStage {
  static final String FOLDER = "memos";

  /** The combined file's name in {@link #FOLDER}, unless an experiment's memo has it. */
  static final String COMBINED = "all";

  /** Digest blocks rendered at once before their turn in the file: bounds the driver's memory. */
  private static final int CHUNK = 1024;

  private MemoStage() {}

  /**
   * What the stage wrote.
   *
   * @param files each (experiment, variant)'s memo file inside the output folder, in order
   * @param combined the combined file inside the output folder, or null under {@code --memos none}
   * @param selection the report's charted, paged and flagged experiments, which decide the files
   */
  record Result(Map<VariantKey, String> files, String combined, ReportStage.Selection selection) {
    /** The number of memo files, the combined one aside. */
    int size() {
      return files.size();
    }
  }

  /** Writes the memos that {@code --memos} asks for. */
  static Result write(
      RunOutput out,
      JobSpec spec,
      List<ExperimentPooling> pooling,
      DecisionAssembly.Tables tables,
      List<LearnedEffect> learned,
      long rowsRead,
      long rowsRejected) {
    ReportStage.Selection selection = ReportStage.Selection.of(spec, tables);
    MemoScope scope = spec.reportSpec().memos();
    if (scope == MemoScope.NONE) {
      return new Result(Map.of(), null, selection);
    }
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
    List<Map.Entry<VariantKey, List<DecisionMemo.MetricBlock>>> entries =
        new ArrayList<>(memos.entrySet());
    // Names are given over every memo, so a memo's file name is the same whichever are written.
    String[] files = new String[entries.size()];
    Map<VariantKey, String> paths = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      VariantKey k = entries.get(i).getKey();
      if (scope == MemoScope.ALL || selection.paged(k.experiment())) {
        files[i] = FOLDER + "/" + names.get(i) + ".md";
        paths.put(k, files[i]);
      }
    }
    // Independent files: rendered and written in parallel.
    IntStream.range(0, entries.size())
        .parallel()
        .forEach(
            i -> {
              if (files[i] != null) {
                VariantKey k = entries.get(i).getKey();
                out.writeText(
                    files[i],
                    DecisionMemo.render(
                        k.experiment(),
                        k.variant(),
                        verdicts.get(k),
                        entries.get(i).getValue(),
                        facts));
              }
            });
    String combined = FOLDER + "/" + combinedName(names) + ".md";
    Labels labels = facts.labels();
    try (Writer all = out.openText(combined)) {
      all.write(combinedHeader(entries.size()));
      String[] texts = new String[CHUNK];
      for (int from = 0; from < entries.size(); from += CHUNK) {
        int start = from;
        int n = Math.min(CHUNK, entries.size() - from);
        // Blocks rendered in parallel a chunk at a time, then appended in order.
        IntStream.range(0, n)
            .parallel()
            .forEach(
                j -> {
                  int i = start + j;
                  VariantKey k = entries.get(i).getKey();
                  texts[j] =
                      DecisionMemo.digest(
                          k.experiment(),
                          k.variant(),
                          verdicts.get(k),
                          entries.get(i).getValue(),
                          labels,
                          files[i] == null ? null : files[i].substring(FOLDER.length() + 1));
                });
        for (int j = 0; j < n; j++) {
          all.write('\n');
          all.write(texts[j]);
          texts[j] = null;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + combined, e);
    }
    return new Result(paths, combined, selection);
  }

  /**
   * The combined file's name: {@value #COMBINED}, or, when an experiment's memo already has that
   * name (an experiment called "all"), the first of {@code all-memos}, {@code all-memos-2}, ...
   * that none has; the manifest's {@code memos_combined} says which.
   */
  static String combinedName(List<String> names) {
    Set<String> used = new HashSet<>();
    for (String n : names) {
      used.add(n.toLowerCase(Locale.ROOT));
    }
    if (!used.contains(COMBINED)) {
      return COMBINED;
    }
    String base = COMBINED + "-memos";
    String name = base;
    for (int i = 2; used.contains(name); i++) {
      name = base + "-" + i;
    }
    return name;
  }

  private static String combinedHeader(int pairs) {
    return "# Decision memo digest\n\nEvery experiment variant of the run ("
        + pairs
        + (pairs == 1 ? " pair" : " pairs")
        + "), in (experiment, variant) order: the verdict with its reason and primary figures,"
        + " then a line per metric. Full memos are the files beside this one, for the"
        + " experiments the report pages (--memos all writes one for every experiment).\n";
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
