package io.segfx.config;

import java.util.TreeMap;

/**
 * Loads the settings of a {@code segment-effects} run, in one order of precedence: each option's
 * default (declared once, in the spec of its concern), then the YAML job spec named by {@code
 * --spec}, then the flags. {@link OptionValues} resolves the three layers key by key; this class
 * turns the resolved values into the concern specs, each of which validates itself, and {@link
 * JobSpec} checks what spans two of them.
 */
public final class SpecLoader {
  private SpecLoader() {}

  /**
   * Loads a run's settings from its command line (after the command name).
   *
   * @throws UsageException for an unknown option or key, a missing or bad value
   */
  public static JobSpec segmentEffects(String[] args) {
    return from(OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
  }

  /**
   * Builds and validates a run's settings from resolved option values.
   *
   * @throws UsageException for a bad value or a combination of settings that does not fit
   */
  public static JobSpec from(OptionValues v) {
    return new JobSpec(
        InputSpec.from(v),
        PoolingSpec.from(v),
        DecisionSpec.from(v),
        ReportSpec.from(v),
        VerdictSpec.from(v),
        v.string("spec"),
        new TreeMap<>(v.sources()));
  }
}
