package io.segfx.config;

import io.segfx.util.DecimalText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Resolves a command's options with one order of precedence: each option's default, then the YAML
 * job spec ({@code --spec}), then command-line flags. Every value is checked against its {@link
 * OptionDef} as it is read, so a bad flag or spec key fails with a message naming it and listing
 * the valid ones.
 */
public final class OptionValues {
  private final List<OptionDef> defs;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, List<String>> lists = new LinkedHashMap<>();
  private final Map<String, String> sources = new TreeMap<>();

  private OptionValues(List<OptionDef> defs) {
    this.defs = defs;
    for (OptionDef d : defs) {
      if (d.kind() == OptionDef.Kind.LIST) {
        lists.put(d.name(), d.defaultValue() == null ? List.of() : split(d.defaultValue()));
      } else if (d.defaultValue() != null) {
        values.put(d.name(), d.defaultValue());
      }
      sources.put(d.name(), "default");
    }
  }

  /**
   * Resolves {@code args} (flags) over an optional spec. The spec file is named by {@code --spec}
   * in {@code args} and read with {@code specReader}.
   *
   * @throws UsageException for unknown options or keys, missing values, bad values
   */
  public static OptionValues resolve(
      String command,
      List<OptionDef> defs,
      String[] args,
      Function<String, Map<String, Object>> specReader) {
    return resolve(command, defs, CommandLineFlags.parse(command, defs, args), specReader);
  }

  /**
   * Resolves flags already split by option ({@link CommandLineFlags#flags}: each option's texts in
   * the order given) over an optional spec named by the {@code spec} flag.
   *
   * @throws UsageException for unknown keys, missing values, bad values
   */
  public static OptionValues resolve(
      String command,
      List<OptionDef> defs,
      Map<String, List<String>> given,
      Function<String, Map<String, Object>> specReader) {
    OptionValues v = new OptionValues(defs);
    Map<String, List<String>> flags = new LinkedHashMap<>(given);
    List<String> spec = flags.remove("spec");
    if (spec != null && spec.size() > 1) {
      throw new UsageException(
          command
              + ": --spec is given "
              + spec.size()
              + " times ("
              + String.join(", ", spec)
              + "); give it once");
    }
    if (spec != null && specReader != null) {
      String path = spec.get(0);
      Map<String, Object> yaml = specReader.apply(path);
      v.applySpec(command, path, yaml);
      v.values.put("spec", path);
    }
    for (Map.Entry<String, List<String>> e : flags.entrySet()) {
      v.applyFlag(command, v.def(e.getKey()), e.getValue());
    }
    v.refuseMissing(command);
    return v;
  }

  private void applyFlag(String command, OptionDef d, List<String> given) {
    if (d.kind() == OptionDef.Kind.LIST) {
      List<String> all = new ArrayList<>();
      for (String s : given) {
        all.addAll(split(s));
      }
      lists.put(d.name(), all);
    } else {
      if (given.size() > 1 && d.kind() != OptionDef.Kind.FLAG) {
        // Last-one-wins would silently drop a value the user typed.
        throw new UsageException(
            command
                + ": --"
                + d.name()
                + " is given "
                + given.size()
                + " times ("
                + String.join(", ", given)
                + "); give it once");
      }
      set(d, given.get(given.size() - 1), "--" + d.name());
    }
    sources.put(d.name(), "flag");
  }

  private void refuseMissing(String command) {
    for (OptionDef d : defs) {
      boolean missing =
          d.kind() == OptionDef.Kind.LIST
              ? lists.get(d.name()).isEmpty()
              : !values.containsKey(d.name());
      if (d.required() && missing) {
        throw new UsageException(
            command + ": missing required option --" + d.name() + " (" + d.help() + ")");
      }
    }
  }

  private void applySpec(String command, String path, Map<String, Object> yaml) {
    Map<String, String> keyOf = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : yaml.entrySet()) {
      OptionDef d = find(defs, e.getKey());
      if (d == null || d.name().equals("spec")) {
        throw new UsageException(
            "job spec "
                + path
                + ": unknown key '"
                + e.getKey()
                + "'; valid keys for "
                + command
                + ": "
                + names(defs, ""));
      }
      String earlier = keyOf.putIfAbsent(d.name(), e.getKey());
      if (earlier != null) {
        // YAML refuses a key given twice, but not two spellings of one option.
        throw new UsageException(
            "job spec "
                + path
                + ": keys '"
                + earlier
                + "' and '"
                + e.getKey()
                + "' both set --"
                + d.name()
                + "; keep one");
      }
      Object raw = e.getValue();
      if (raw == null) {
        throw new UsageException(
            "job spec "
                + path
                + ": key '"
                + e.getKey()
                + "' has no value; give one or delete the key");
      }
      if (d.kind() == OptionDef.Kind.LIST && raw instanceof Collection<?> l) {
        // Each item splits at commas, as the flag's value does: ["1,2"] is [1, 2].
        List<String> items = new ArrayList<>();
        for (Object o : l) {
          if (o == null) {
            throw new UsageException(
                "job spec " + path + ": key '" + e.getKey() + "' has an empty item; delete it");
          }
          items.addAll(split(text(d, o)));
        }
        lists.put(d.name(), items);
      } else if (d.kind() == OptionDef.Kind.LIST) {
        lists.put(d.name(), split(text(d, raw)));
      } else {
        set(d, text(d, raw), "spec key '" + e.getKey() + "' in " + path);
      }
      sources.put(d.name(), "spec");
    }
  }

  /**
   * A YAML value as the option's text, so native YAML and the flag syntax read alike: a list joins
   * with ',' ({@code [0, 1e-4]} is {@code 0,1e-4}), a list of lists joins its lists with '|' (the
   * control|treatment shapes of {@code --prior-grid}), and a map becomes {@code key=value} entries
   * joined by the option's separator ({@code {revenue: 0.25}} is {@code revenue=0.25}).
   */
  static String text(OptionDef d, Object raw) {
    if (raw instanceof Map<?, ?> m) {
      List<String> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        entries.add(String.valueOf(e.getKey()).trim() + "=" + text(d, e.getValue()));
      }
      return String.join(d.entrySeparator(), entries);
    }
    if (raw instanceof Collection<?> l) {
      List<String> items = new ArrayList<>();
      boolean nested = false;
      for (Object o : l) {
        nested |= o instanceof List<?>;
        items.add(text(d, o).trim());
      }
      return String.join(nested ? "|" : ",", items);
    }
    return String.valueOf(raw);
  }

  private void set(OptionDef d, String value, String where) {
    String v = value.trim();
    if (v.isEmpty() && !value.isEmpty() && d.name().equals("csv-delimiter")) {
      v = value; // a tab or a space is a separator, not a blank
    }
    if (d.kind() == OptionDef.Kind.FLAG) {
      v = v.toLowerCase(Locale.ROOT);
    }
    try {
      switch (d.kind()) {
        case INT -> DecimalText.parseInt(v);
        case LONG -> DecimalText.parseLong(v);
        case DOUBLE -> {
          double x = DecimalText.parse(v);
          if (!Double.isFinite(x)) {
            throw new NumberFormatException();
          }
        }
        case FLAG -> {
          if (!v.equals("true") && !v.equals("false")) {
            throw new NumberFormatException();
          }
        }
        case CHOICE -> {
          if (!d.choices().contains(v)) {
            throw new UsageException(
                where + ": '" + v + "' is not one of " + String.join("|", d.choices()));
          }
        }
        default -> {}
      }
    } catch (NumberFormatException ex) {
      throw new UsageException(
          where
              + ": '"
              + v
              + "' is not a valid "
              + d.kind().name().toLowerCase()
              + " ("
              + d.help()
              + ")");
    }
    values.put(d.name(), v);
  }

  private OptionDef def(String name) {
    return find(defs, name);
  }

  private static OptionDef find(List<OptionDef> defs, String key) {
    for (OptionDef d : defs) {
      if (d.matches(key)) {
        return d;
      }
    }
    return null;
  }

  private static String names(List<OptionDef> defs, String prefix) {
    List<String> n = new ArrayList<>();
    for (OptionDef d : defs) {
      n.add(prefix + d.name());
    }
    return String.join(", ", n);
  }

  public static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    for (String p : s.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }

  public String string(String name) {
    return values.get(name);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public int integer(String name) {
    return DecimalText.parseInt(values.get(name));
  }

  public long longValue(String name) {
    return DecimalText.parseLong(values.get(name));
  }

  public double number(String name) {
    return DecimalText.parse(values.get(name));
  }

  public boolean flag(String name) {
    return "true".equals(values.get(name));
  }

  public List<String> list(String name) {
    return Collections.unmodifiableList(lists.getOrDefault(name, List.of()));
  }

  /** Where each option's value came from: default, spec or flag. */
  public Map<String, String> sources() {
    return Collections.unmodifiableMap(sources);
  }

  /** The usage text of a command ({@code --help}), generated from its definitions. */
  public static String usage(String command, String summary, List<OptionDef> defs) {
    return new CommandLine(CommandLineFlags.spec(command, summary, defs)).getUsageMessage();
  }
}
