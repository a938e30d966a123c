package io.segfx.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads a YAML job spec: a flat mapping of option names to values (lists for list options). */
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
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
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
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }
}
