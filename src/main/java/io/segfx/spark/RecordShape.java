package io.segfx.spark;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/**
 * The guard of the field-by-field serializers ({@link PosteriorSerializer}, {@link
 * EstimateSerializer}): each names the components it writes, and checks them against the record
 * when it is built, so that a component added to the record later fails the first run rather than
 * being silently dropped in transit.
 */
final class RecordShape {
  private RecordShape() {}

  /**
   * Checks that {@code type}'s components are exactly {@code written}, in order.
   *
   * @throws IllegalStateException naming the record, what is written and what it has
   */
  static void check(Class<? extends Record> type, List<String> written) {
    List<String> names =
        Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    if (!names.equals(written)) {
      throw new IllegalStateException(
          "a field-by-field serializer writes "
              + type.getSimpleName()
              + " as "
              + written
              + " but its components are "
              + names);
    }
  }
}
