package io.segfx.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a YAML job spec: a mapping of option names to values, each a scalar, a list or a map
 * ({@link OptionValues} reads lists and maps as the flag syntax).
 */
public final class SpecReader {
  private SpecReader() {}

  /**
   * Reads the spec at {@code path} (a local file).
   *
   * @throws UsageException if the file is missing, is not YAML, or is not a mapping
   */
  public static Map<String, Object> read(String path) {
    Path p = Path.of(path);
    if (!Files.isRegularFile(p)) {
      throw new UsageException("job spec not found: " + path);
    }
    Object doc;
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      // A key given twice would otherwise keep its last value silently.
      options.setAllowDuplicateKeys(false);
      doc = new Yaml(new SafeConstructor(options)).load(r);
    } catch (IOException | YAMLException e) {
      throw new UsageException("job spec " + path + " is not readable YAML: " + e.getMessage(), e);
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> m)) {
      throw new UsageException("job spec " + path + " must be a mapping of option names to values");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), isoDates(e.getValue()));
    }
    return out;
  }

  /**
   * YAML reads an unquoted date {@code YYYY-MM-DD} or date-time {@code YYYY-MM-DD hh:mm:ss} as a
   * timestamp (UTC when it has no zone); it becomes ISO text again ({@code YYYY-MM-DD}, or the UTC
   * instant {@code YYYY-MM-DDThh:mm:ssZ}), since {@code Date.toString} would print it in the
   * machine's time zone in a form no option reads.
   */
  private static Object isoDates(Object value) {
    if (value instanceof Date d) {
      Instant i = d.toInstant();
      return i.getEpochSecond() % 86_400 == 0 && i.getNano() == 0
          ? LocalDate.ofInstant(i, ZoneOffset.UTC).toString()
          : i.toString();
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(isoDates(o));
      }
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(isoDates(e.getKey()), isoDates(e.getValue()));
      }
      return out;
    }
    return value;
  }
}
