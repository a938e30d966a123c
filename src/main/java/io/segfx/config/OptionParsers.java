package io.segfx.config;

import io.segfx.model.ArmLabel;
import io.segfx.util.DecimalText;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsers of {@code segment-effects}' structured option values (per-metric maps, prior shapes,
 * scenario lists, priors of tau and mu, CSV dialect, arm labels). Each refuses a bad value with a
 * {@link UsageException} that names the option and the value.
 */
final class OptionParsers {
  private OptionParsers() {}

  /** The canonical label of an arm given on the command line ({@link ArmLabel}). */
  static String arm(String text, String option) {
    String a = ArmLabel.canonical(text);
    if (a == null) {
      throw new UsageException(
          option + " '" + text + "' reads as a missing value; give the arm's label");
    }
    return a;
  }

  static List<String> arms(List<String> given) {
    List<String> out = new ArrayList<>();
    for (String g : given) {
      out.add(arm(g, "--variants"));
    }
    return out;
  }

  /** A character set Java knows, by its canonical name. */
  static String encoding(String text) {
    try {
      return Charset.forName(text.trim()).name();
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--csv-encoding '"
              + text
              + "' is not a character set this Java knows; e.g. UTF-8, ISO-8859-1, windows-1252,"
              + " UTF-16");
    }
  }

  /** One character; {@code \t} and {@code tab} name the tab. */
  static char delimiter(String text) {
    String t = text.equals("\\t") || text.equalsIgnoreCase("tab") ? "\t" : text;
    if (t.length() != 1 || t.equals("\"") || t.equals("\n") || t.equals("\r")) {
      throw new UsageException(
          "--csv-delimiter '"
              + text
              + "' must be one character other than a quote or line break, e.g. ',' ';' or '\\t'");
    }
    return t.charAt(0);
  }

  /** Largest magnitude (and reciprocal of the smallest) of a prior parameter. */
  static final double LIMIT = 1e150;

  /** The key of a value that applies to every metric. */
  static final String ALL_METRICS = "*";

  /** Parses {@code 38} (every metric) or {@code revenue=1,converted=38}. */
  static Map<String, Double> values(String text, String option) {
    Map<String, Double> out = new LinkedHashMap<>();
    try {
      if (!text.contains("=")) {
        out.put(ALL_METRICS, DecimalText.parse(text.trim()));
      } else {
        for (String part : text.split(",")) {
          String[] kv = part.split("=");
          if (kv.length != 2) {
            throw new IllegalArgumentException(part);
          }
          if (out.put(kv[0].trim(), DecimalText.parse(kv[1].trim())) != null) {
            throw new UsageException(
                option + " '" + text + "' gives metric '" + kv[0].trim() + "' twice");
          }
        }
      }
    } catch (UsageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UsageException(
          option + " '" + text + "' must be a number or metric=value,metric=value");
    }
    for (double x : out.values()) {
      if (!Double.isFinite(x)) {
        throw new UsageException(option + " '" + text + "' must be finite");
      }
    }
    return out;
  }

  static double[] shapes(OptionValues v, String option) {
    List<String> given = v.list(option);
    if (given.isEmpty()) {
      return new double[] {v.number("prior-alpha"), v.number("prior-beta")};
    }
    return numbers(given, 2, "--" + option);
  }

  static List<String> exactly(List<String> items, int count, String option) {
    if (items.size() != count) {
      throw new UsageException(
          option
              + " needs "
              + count
              + " comma-separated names, got '"
              + String.join(",", items)
              + "'");
    }
    return items;
  }

  static double[] numbers(List<String> items, int count, String option) {
    if (items.size() != count) {
      throw new UsageException(
          option
              + " needs "
              + count
              + " comma-separated numbers, got '"
              + String.join(",", items)
              + "'");
    }
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      try {
        out[i] = DecimalText.parse(items.get(i));
      } catch (NumberFormatException e) {
        throw new UsageException(option + ": '" + items.get(i) + "' is not a number");
      }
      // No prior shape, scale or scenario parameter is meaningful at infinity or NaN, and
      // 'Infinity' parses as a number and passes a '> 0' check.
      if (!Double.isFinite(out[i])) {
        throw new UsageException(option + ": '" + items.get(i) + "' must be a finite number");
      }
    }
    return out;
  }

  /**
   * Splits {@code name=value;name2=value2} into (name, value) pairs.
   *
   * @throws UsageException naming the option and the entry when an entry has no name
   */
  private static List<String[]> namedEntries(String text, String option, String shape) {
    List<String[]> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(option + " entry '" + entry + "' must look like " + shape);
      }
      out.add(new String[] {entry.substring(0, eq).trim(), entry.substring(eq + 1)});
    }
    return out;
  }

  /** Parses {@code name=mean,sd;...}. */
  static List<JobSpec.BiasScenario> parseBias(String text) {
    List<JobSpec.BiasScenario> out = new ArrayList<>();
    for (String[] e : namedEntries(text, "--bias-prior", "name=mean,sd")) {
      String name = e[0];
      double[] p = numbers(OptionValues.split(e[1]), 2, "--bias-prior entry '" + name + "'");
      if (!(p[1] >= 0) || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
        throw new UsageException(
            "--bias-prior entry '" + name + "' needs a finite mean and an sd >= 0");
      }
      out.add(new JobSpec.BiasScenario(name, p[0], p[1]));
    }
    return out;
  }

  /** Parses {@code uniform}, {@code half-normal:S} or {@code half-cauchy:S}. */
  static TauPriorSetting parseTauPrior(String text) {
    String t = text.trim();
    if (t.equals("uniform")) {
      return TauPriorSetting.UNIFORM;
    }
    int colon = t.indexOf(':');
    if (colon > 0) {
      try {
        TauPriorSetting.Family family = TauPriorSetting.Family.of(t.substring(0, colon));
        if (family != TauPriorSetting.Family.UNIFORM) {
          return new TauPriorSetting(family, DecimalText.parse(t.substring(colon + 1).trim()));
        }
      } catch (IllegalArgumentException e) { // an unknown family, a bad number or scale
        // reported below
      }
    }
    throw new UsageException(
        "--tau-prior '"
            + text
            + "' must be uniform, half-normal:S or half-cauchy:S with a scale S in [1e-150,"
            + " 1e150]");
  }

  /** Parses {@code flat} (null) or {@code normal:MEAN,SD}. */
  static double[] parseMuPrior(String text) {
    String t = text.trim();
    if (t.equals("flat")) {
      return null;
    }
    if (t.startsWith("normal:")) {
      try {
        double[] p = numbers(OptionValues.split(t.substring(7)), 2, "--mu-prior");
        // Beyond these magnitudes the prior's precision or its square leaves the double range.
        if (Math.abs(p[0]) <= LIMIT && p[1] >= 1 / LIMIT && p[1] <= LIMIT) {
          return p;
        }
      } catch (UsageException e) {
        // reported below
      }
    }
    throw new UsageException(
        "--mu-prior '"
            + text
            + "' must be flat or normal:MEAN,SD with |MEAN| <= 1e150 and SD in [1e-150, 1e150]");
  }

  /** Parses {@code name=a,b;name2=a,b|c,d}: one pair for both arms, or control|treatment. */
  static List<JobSpec.PriorGridEntry> parseGrid(String text) {
    List<JobSpec.PriorGridEntry> out = new ArrayList<>();
    for (String[] e : namedEntries(text, "--prior-grid", "name=alpha,beta or name=a,b|a,b")) {
      String name = e[0];
      String[] arms = e[1].split("\\|");
      if (arms.length > 2) {
        throw new UsageException(
            "--prior-grid entry '" + name + "' has more than control|treatment shapes");
      }
      double[] c = numbers(OptionValues.split(arms[0]), 2, "--prior-grid entry '" + name + "'");
      double[] t =
          arms.length == 2
              ? numbers(OptionValues.split(arms[1]), 2, "--prior-grid entry '" + name + "'")
              : c;
      out.add(new JobSpec.PriorGridEntry(name, c, t));
    }
    return out;
  }
}
