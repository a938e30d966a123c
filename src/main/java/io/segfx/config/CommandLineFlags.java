package io.segfx.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A command's command line, read by picocli from its {@link OptionDef} table, so each option is
 * declared once. picocli only splits the arguments into (option, raw texts); checking a value, the
 * defaults and the YAML spec stay with {@link OptionValues}, which owns the order of precedence.
 * Every option therefore takes its texts as given: a repeated option keeps every occurrence, so
 * OptionValues can append list values and refuse a single value given twice with both values named.
 */
public final class CommandLineFlags {
  /** Exit status of a run that finished. */
  public static final int EXIT_OK = 0;

  /** Exit status of an unexpected failure: a bug or an infrastructure fault. */
  public static final int EXIT_FAILURE = 1;

  /** Exit status of a usage or input error the user can fix, printed as one line. */
  public static final int EXIT_USAGE = 2;

  private static final int HELP_WIDTH = 100;
  private static final int LONG_OPTIONS_WIDTH = 36;

  private CommandLineFlags() {}

  /**
   * The picocli model of a command: one option per definition (its aliases as further names) and
   * {@code -h/--help}. Nothing has a picocli default, and nothing is required here, since the YAML
   * spec may still supply a value.
   */
  public static CommandSpec spec(String command, String summary, List<OptionDef> defs) {
    CommandSpec spec = CommandSpec.create().name(command);
    configure(spec);
    spec.usageMessage()
        .synopsisHeading("usage: ")
        .customSynopsis("segfx " + command + " [options]")
        .descriptionHeading("%n")
        .description(summary)
        .width(HELP_WIDTH)
        .exitCodeListHeading("%nExit status:%n")
        .exitCodeList(exitCodes());
    Map<String, CommandLine.IHelpSectionRenderer> sections = spec.usageMessage().sectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> groups(defs));
    for (OptionDef d : defs) {
      spec.addOption(option(d));
    }
    spec.addOption(
        OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
    return spec;
  }

  /** The parser settings every segfx command shares. */
  public static void configure(CommandSpec spec) {
    spec.parser()
        // A value such as '@campaign' is data, never a file of further arguments.
        .expandAtFiles(false)
        .posixClusteredShortOptionsAllowed(false)
        // Only FLAG options are single-valued, and repeating a flag is harmless.
        .overwrittenOptionsAllowed(true);
  }

  /** The exit statuses, in the help of every command. */
  public static Map<String, String> exitCodes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(String.valueOf(EXIT_OK), "the run finished");
    m.put(String.valueOf(EXIT_FAILURE), "an unexpected failure (a bug or an infrastructure fault)");
    m.put(String.valueOf(EXIT_USAGE), "a usage or input error, printed as one 'segfx:' line");
    return m;
  }

  private static OptionSpec option(OptionDef d) {
    List<String> names = new ArrayList<>();
    names.add("--" + d.name());
    for (String a : d.aliases()) {
      names.add("--" + a);
    }
    OptionSpec.Builder b =
        OptionSpec.builder(names.toArray(new String[0]))
            // picocli treats a description as a format string; the help's option list is ours
            // (groups), so the spec's copy only needs its '%' escaped to stay quiet.
            .description(describe(d).replace("%", "%%"));
    if (d.kind() == OptionDef.Kind.FLAG) {
      // A boolean of optional arity takes a following 'true' or 'false', and nothing else.
      return b.type(boolean.class).arity("0..1").fallbackValue("true").build();
    }
    return b.type(List.class)
        .auxiliaryTypes(String.class)
        .arity("1")
        .paramLabel(d.metavar())
        .hideParamSyntax(true)
        .build();
  }

  /** The help line of an option: its text, then whether it is required or its default. */
  public static String describe(OptionDef d) {
    if (d.required()) {
      return d.help() + " (required)";
    }
    return d.defaultValue() == null ? d.help() : d.help() + " (default " + d.defaultValue() + ")";
  }

  /**
   * The option list, one titled section per group in order of first declaration. Each description
   * wraps at spaces only, so a path such as {@code manifest.json} or {@code s3a://} stays whole.
   */
  private static String groups(List<OptionDef> defs) {
    Map<String, List<String[]>> sections = new LinkedHashMap<>();
    for (OptionDef d : defs) {
      sections
          .computeIfAbsent(d.section(), k -> new ArrayList<>())
          .add(new String[] {head(d), describe(d)});
    }
    sections
        .computeIfAbsent(OptionDef.DEFAULT_GROUP, k -> new ArrayList<>())
        .add(new String[] {"-h, --help", "show this help"});
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<String[]>> s : sections.entrySet()) {
      b.append('\n').append(s.getKey()).append(":\n");
      for (String[] row : s.getValue()) {
        row(b, row[0], row[1]);
      }
    }
    return b.toString();
  }

  /** An option's names and value placeholder, e.g. {@code --metric, --metrics COL[:binary]}. */
  public static String head(OptionDef d) {
    StringBuilder b = new StringBuilder("--").append(d.name());
    for (String a : d.aliases()) {
      b.append(", --").append(a);
    }
    return d.metavar().isEmpty() ? b.toString() : b.append(' ').append(d.metavar()).toString();
  }

  private static void row(StringBuilder b, String head, String text) {
    String indent = " ".repeat(LONG_OPTIONS_WIDTH + 2);
    b.append("  ").append(head);
    // A head too wide to leave two spaces before its text puts the text on the next line.
    if (head.length() > LONG_OPTIONS_WIDTH - 2) {
      b.append('\n').append(indent);
    } else {
      b.append(" ".repeat(LONG_OPTIONS_WIDTH - head.length()));
    }
    int start = indent.length();
    int column = start;
    for (String word : text.split(" ")) {
      if (column > start && column + 1 + word.length() > HELP_WIDTH) {
        b.append('\n').append(indent);
        column = start;
      } else if (column > start) {
        b.append(' ');
        column++;
      }
      b.append(word);
      column += word.length();
    }
    b.append('\n');
  }

  /**
   * Splits {@code args} into each given option's raw texts, in order, keyed by option name.
   *
   * @throws UsageException for an unknown option, a stray argument or a missing value
   */
  public static Map<String, List<String>> parse(
      String command, List<OptionDef> defs, String[] args) {
    CommandLine line = new CommandLine(spec(command, "", defs));
    try {
      return flags(line.parseArgs(normalised(defs, args)), defs);
    } catch (ParameterException e) {
      throw refusal(command, defs, e);
    }
  }

  /**
   * Flag names accept '_' for '-', as YAML keys do ({@link OptionDef#matches}): {@code
   * --experiment_col} reads as {@code --experiment-col}.
   */
  public static String[] normalised(List<OptionDef> defs, String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      String a = out[i];
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      if (a.startsWith("--") && name.indexOf('_') > 0) {
        String dashed = name.replace('_', '-');
        for (OptionDef d : defs) {
          if (d.matches(dashed.substring(2))) {
            out[i] = dashed + (eq < 0 ? "" : a.substring(eq));
          }
        }
      }
    }
    return out;
  }

  /** The raw texts of each option given, keyed by option name, each occurrence in order. */
  public static Map<String, List<String>> flags(ParseResult parsed, List<OptionDef> defs) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (OptionDef d : defs) {
      OptionSpec o = parsed.matchedOption(d.name());
      if (o != null) {
        out.put(d.name(), List.copyOf(o.originalStringValues()));
      }
    }
    return out;
  }

  /** picocli's parse error as segfx's one-line refusal, in the words segfx has always used. */
  public static UsageException refusal(String command, List<OptionDef> defs, ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (!arg.startsWith("--")) {
        return new UsageException(
            command + ": unexpected argument '" + arg + "'; options start with --");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      if (name.equals("conf")) {
        // spark-submit's option, not the command's: Spark settings come before the jar there.
        return new UsageException(
            command
                + ": --conf is not an option of the command; pass Spark settings as"
                + " SEGFX_CONF=\"key=value ...\" with scripts/segfx, or as spark-submit's --conf"
                + " before the jar");
      }
      String near = nearest(name, defs);
      String hint =
          near != null
              ? "; did you mean --" + near + "?"
              : u.getSuggestions().isEmpty()
                  ? ""
                  : "; did you mean " + u.getSuggestions().get(0) + "?";
      return new UsageException(
          command + ": unknown option --" + name + "; valid options: " + names(defs) + hint);
    }
    ArgSpec arg =
        e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
            ? m.getMissing().get(0)
            : e.getArgSpec();
    OptionDef d = defOf(defs, arg);
    if (d == null) {
      return new UsageException(command + ": " + e.getMessage());
    }
    if (e instanceof CommandLine.MissingParameterException) {
      return new UsageException(
          command + ": option --" + d.name() + " needs a value (" + d.help() + ")");
    }
    if (d.kind() == OptionDef.Kind.FLAG) {
      return new UsageException(
          "--" + d.name() + ": '" + e.getValue() + "' is not a valid flag (" + d.help() + ")");
    }
    return new UsageException(command + ": " + e.getMessage());
  }

  private static OptionDef defOf(List<OptionDef> defs, ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      for (OptionDef d : defs) {
        if (d.matches(o.longestName().substring(2))) {
          return d;
        }
      }
    }
    return null;
  }

  /**
   * The option name closest to {@code typed} in edit distance, when within a typo's reach (at most
   * 2 edits, or a quarter of the name's length); picocli's own suggestions rank by shared
   * fragments, which prefers --series-col to --season-duration for --season-duraton.
   */
  static String nearest(String typed, List<OptionDef> defs) {
    String best = null;
    int bestDistance = Math.max(2, typed.length() / 4) + 1;
    for (OptionDef d : defs) {
      int distance = editDistance(typed, d.name());
      if (distance < bestDistance) {
        best = d.name();
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static String names(List<OptionDef> defs) {
    List<String> n = new ArrayList<>();
    for (OptionDef d : defs) {
      n.add("--" + d.name());
    }
    return String.join(", ", n);
  }
}
