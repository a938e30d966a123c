package io.segfx.config;

import java.util.List;

/**
 * One option, declared once: its flag name (also its key in a YAML job spec), its kind, its default
 * (null = none; required options say so), its help text, and where the help and the option
 * reference show it. The command line (picocli, through {@link CommandLineFlags}), the YAML spec,
 * {@code --help} and docs/reference/options.md are all read from these declarations.
 *
 * @param name flag name without the leading dashes, e.g. {@code experiment-col}
 * @param kind how the value is parsed
 * @param defaultValue default as text, or null
 * @param required true when the option must be set by the spec or a flag
 * @param choices allowed values for {@link Kind#CHOICE}
 * @param aliases other accepted spellings (YAML keys, e.g. {@code metrics} for {@code metric})
 * @param help one-line description
 * @param group the help section the option is listed in, or null for the command's only section
 * @param label the value's placeholder in help, e.g. {@code COL}, or null for one from the kind
 * @param entrySeparator what joins the entries of a YAML map given for this option into its text,
 *     e.g. {@code threshold: {revenue: 0.25, orders: 1}} becomes {@code revenue=0.25,orders=1}
 */
public record OptionDef(
    String name,
    Kind kind,
    String defaultValue,
    boolean required,
    List<String> choices,
    List<String> aliases,
    String help,
    String group,
    String label,
    String entrySeparator) {

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

  /** The help section of options declared without one. */
  public static final String DEFAULT_GROUP = "Options";

  /** Refuses a declaration no command line could use; a programming error, not a user's. */
  public OptionDef {
    if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "option name must be lower-case words with '-', got " + name);
    }
    if (kind == null || help == null || help.isBlank()) {
      throw new IllegalArgumentException("option --" + name + " needs a kind and help text");
    }
    if ((kind == Kind.CHOICE) == choices.isEmpty()) {
      throw new IllegalArgumentException(
          "option --" + name + ": choices are given exactly for CHOICE options, got " + choices);
    }
    choices = List.copyOf(choices);
    aliases = List.copyOf(aliases);
  }

  public static OptionDef of(String name, Kind kind, String defaultValue, String help) {
    return new OptionDef(
        name, kind, defaultValue, false, List.of(), List.of(), help, null, null, ",");
  }

  public static OptionDef required(String name, Kind kind, String help) {
    return new OptionDef(name, kind, null, true, List.of(), List.of(), help, null, null, ",");
  }

  public static OptionDef choice(
      String name, String defaultValue, List<String> choices, String help) {
    return new OptionDef(
        name, Kind.CHOICE, defaultValue, false, choices, List.of(), help, null, null, ",");
  }

  /** A FLAG option: off unless given (as {@code --name} or {@code --name=true}). */
  public static OptionDef flag(String name, String help) {
    return of(name, Kind.FLAG, null, help);
  }

  /** This definition with extra accepted spellings. */
  public OptionDef withAliases(String... more) {
    return new OptionDef(
        name,
        kind,
        defaultValue,
        required,
        choices,
        List.of(more),
        help,
        group,
        label,
        entrySeparator);
  }

  /** This definition listed under the help section {@code section}. */
  public OptionDef inGroup(String section) {
    return new OptionDef(
        name, kind, defaultValue, required, choices, aliases, help, section, label, entrySeparator);
  }

  /** This definition with {@code placeholder} naming its value in help, e.g. {@code COL}. */
  public OptionDef withLabel(String placeholder) {
    return new OptionDef(
        name,
        kind,
        defaultValue,
        required,
        choices,
        aliases,
        help,
        group,
        placeholder,
        entrySeparator);
  }

  /** This definition with YAML map entries joined by {@code separator}, e.g. {@code ;}. */
  public OptionDef withMapEntries(String separator) {
    return new OptionDef(
        name, kind, defaultValue, required, choices, aliases, help, group, label, separator);
  }

  /** The help section this option is listed in. */
  public String section() {
    return group == null ? DEFAULT_GROUP : group;
  }

  /** The value's placeholder in help; empty for a FLAG, which takes none. */
  public String metavar() {
    if (kind == Kind.FLAG) {
      return "";
    }
    if (label != null) {
      return label;
    }
    return switch (kind) {
      case CHOICE -> String.join("|", choices);
      case LIST -> "A,B";
      case INT, LONG -> "N";
      case DOUBLE -> "X";
      default -> "VALUE";
    };
  }

  /**
   * True when {@code key} (a flag name or YAML key; '_' and '-' are interchangeable) names this.
   */
  public boolean matches(String key) {
    String k = key.replace('_', '-');
    return name.equals(k) || aliases.contains(k);
  }
}
