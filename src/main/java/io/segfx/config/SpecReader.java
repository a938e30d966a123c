package io.segfx.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

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
      DumperOptions dump = new DumperOptions();
      doc =
          new Yaml(
                  new TextConstructor(options),
                  new Representer(dump),
                  dump,
                  options,
                  new TextResolver())
              .load(r);
    } catch (MarkedYAMLException e) {
      // SnakeYAML's own message spans several lines and names the stream 'reader'.
      Mark at = e.getProblemMark();
      throw new UsageException(
          "job spec "
              + path
              + " is not readable YAML: "
              + e.getProblem()
              + (at == null
                  ? ""
                  : " (line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ")"),
          e);
    } catch (IOException | YAMLException e) {
      throw new UsageException(
          "job spec "
              + path
              + " is not readable YAML: "
              + String.valueOf(e.getMessage()).replaceAll("\\s+", " "),
          e);
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

  /**
   * YAML 1.1's implicit types, less booleans, numbers and timestamps: only null ({@code ~}, {@code
   * null}, nothing) and merge keys ({@code <<}) are resolved, and every other scalar stays the text
   * the user wrote ({@code no} stays {@code no}, not {@code false}), which the option parsers then
   * read exactly as the same text given as a flag. The full resolver would read {@code 010} as
   * octal 8, {@code 0x10} as 16, {@code 1_0} as 10, {@code 1:30} as 90 (base 60) and an unquoted
   * ISO date as a {@link java.util.Date}: readings that differ from the same text given as a flag.
   */
  private static final class TextResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  /**
   * The safe constructor with explicit scalar tags ({@code !!int 010}, {@code !!float 1_0}, {@code
   * !!bool yes}, {@code !!timestamp}, {@code !!binary}) read as the text written, like untagged
   * scalars, so a tag cannot bring YAML 1.1's number forms back. {@code !!set} reads as a list and
   * {@code !!omap} as a mapping; {@code !!pairs}, a list of key-value arrays that no option reads,
   * is refused where it stands rather than turned into an array's text.
   */
  private static final class TextConstructor extends SafeConstructor {
    TextConstructor(LoaderOptions options) {
      super(options);
      for (Tag t : new Tag[] {Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.TIMESTAMP, Tag.BINARY}) {
        yamlConstructors.put(t, new ConstructYamlStr());
      }
      yamlConstructors.put(
          Tag.PAIRS,
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              throw new Refused(
                  "the tag !!pairs is not read; write a mapping ({a: 1, b: 2}) or a list",
                  node.getStartMark());
            }
          });
    }
  }

  /** A construction refused with the node's position, reported like a syntax error. */
  private static final class Refused extends ConstructorException {
    Refused(String problem, Mark at) {
      super(null, null, problem, at);
    }
  }
}
