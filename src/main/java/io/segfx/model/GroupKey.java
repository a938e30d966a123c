package io.segfx.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * The (experiment, metric, variant) group that is pooled, decided and reported as one unit. The
 * natural order is the output tables' row order: experiment, then metric, then variant, each by
 * {@link String#compareTo}.
 *
 * @param experiment the experiment id
 * @param metric the metric column
 * @param variant the treatment arm compared with the control arm
 */
public record GroupKey(String experiment, String metric, String variant)
    implements Comparable<GroupKey> {

  private static final Comparator<GroupKey> ORDER =
      Comparator.comparing(GroupKey::experiment)
          .thenComparing(GroupKey::metric)
          .thenComparing(GroupKey::variant);

  /**
   * @throws NullPointerException naming the missing field
   */
  public GroupKey {
    Objects.requireNonNull(experiment, "experiment must not be null");
    Objects.requireNonNull(metric, "metric must not be null");
    Objects.requireNonNull(variant, "variant must not be null");
  }

  /** The (experiment, variant) this group's metric belongs to: one memo covers all its metrics. */
  public VariantKey variantKey() {
    return new VariantKey(experiment, variant);
  }

  @Override
  public int compareTo(GroupKey other) {
    return ORDER.compare(this, other);
  }
}
