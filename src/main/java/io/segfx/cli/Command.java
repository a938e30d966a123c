package io.segfx.cli;

import io.segfx.config.CommandLineFlags;
import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One {@code segfx} subcommand: its name, the line the command list shows, the summary its help
 * starts with, its option table and what it runs with the resolved options.
 *
 * @param name the subcommand, e.g. {@code segment-effects}
 * @param title one line for the command list of {@code segfx --help}
 * @param summary the first line of the command's own help
 * @param options its option declarations, the one source of parsing, help and reference
 * @param readsSpec true when {@code --spec} names a YAML job spec to read under the flags
 * @param action what the command runs
 */
record Command(
    String name,
    String title,
    String summary,
    List<OptionDef> options,
    boolean readsSpec,
    Action action) {

  /** What a command runs once its options are resolved. */
  @FunctionalInterface
  interface Action {
    void run(OptionValues options, PrintStream out);
  }

  /** The picocli model of this command, read from its option table. */
  CommandSpec spec() {
    return CommandLineFlags.spec(name, summary, options);
  }
}
