package io.segfx.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A closed set whose values are written and read by a code: the option value, table cell or
 * manifest entry users see. One lookup serves every such enum, so their refusals read alike.
 */
public interface Coded {
  /** The value as users write it and the outputs show it. */
  String code();

  /**
   * The constant of {@code type} whose code is {@code code}.
   *
   * @param what the set's name in the message, e.g. {@code "design"}
   * @throws IllegalArgumentException naming the bad code and every valid one, in declaration order
   */
  static <E extends Enum<E> & Coded> E of(Class<E> type, String what, String code) {
    E[] all = type.getEnumConstants();
    for (E e : all) {
      if (e.code().equals(code)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        what
            + " '"
            + code
            + "' is not one of "
            + Arrays.stream(all).map(Coded::code).collect(Collectors.joining(", ")));
  }
}
