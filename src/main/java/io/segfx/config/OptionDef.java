package io.segfx.config;

import java.util.List;

/**
 * One option, declared once: its flag name (also its key in a YAML job spec), its kind, its default
 * (null = none; required options say so) and its help text.
 *
 * @param name flag name without the leading dashes, e.g. {@code experiment-col}
 * @param kind how the value is parsed
 * @param defaultValue default as text, or null
 * @param required true when the option must be set by the spec or a flag
 * @param choices allowed values for {@link Kind#CHOICE}
 * @param aliases other accepted spellings (YAML keys, e.g. {@code metrics} for {@code metric})
 * @param help one-line description
 */
public record OptionDef(
    String name,
    Kind kind,
    String defaultValue,
    boolean required,
    List<String> choices,
    List<String> aliases,
    String help) {

  /** Value kinds. LIST values are comma-separated and a repeated flag appends. */
  public enum Kind {
    STRING,
    INT,
    LONG,
    DOUBLE,
    LIST,
    CHOICE,
    FLAG
  }

  public static OptionDef of(String name, Kind kind, String defaultValue, String help) {
    return new OptionDef(name, kind, defaultValue, false, List.of(), List.of(), help);
  }

  public static OptionDef required(String name, Kind kind, String help) {
    return new OptionDef(name, kind, null, true, List.of(), List.of(), help);
  }

  public static OptionDef choice(
      String name, String defaultValue, List<String> choices, String help) {
    return new OptionDef(name, Kind.CHOICE, defaultValue, false, choices, List.of(), help);
  }

  /** This definition with extra accepted spellings. */
  public OptionDef withAliases(String... more) {
    return new OptionDef(name, kind, defaultValue, required, choices, List.of(more), help);
  }

  /**
   * True when {@code key} (a flag name or YAML key; '_' and '-' are interchangeable) names this.
   */
  public boolean matches(String key) {
    String k = key.replace('_', '-');
    if (name.equals(k)) {
      return true;
    }
    for (String a : aliases) {
      if (a.equals(k)) {
        return true;
      }
    }
    return false;
  }
}
