package io.segfx.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One variant of an experiment, over all its metrics: the unit of a decision memo. The natural
 * order is by experiment, then variant, each by {@link String#compareTo}, the memos' order.
 *
 * @param experiment the experiment id
 * @param variant the treatment arm
 */
public record VariantKey(String experiment, String variant) implements Comparable<VariantKey> {

  private static final Comparator<VariantKey> ORDER =
      Comparator.comparing(VariantKey::experiment).thenComparing(VariantKey::variant);

  /**
   * @throws NullPointerException naming the missing field
   */
  public VariantKey {
    Objects.requireNonNull(experiment, "experiment must not be null");
    Objects.requireNonNull(variant, "variant must not be null");
  }

  @Override
  public int compareTo(VariantKey other) {
    return ORDER.compare(this, other);
  }
}
