package io.segfx.io;

import io.segfx.io.TableSchema.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates {@code docs/reference/tables.md} from the table declarations in {@link Schemas}, so the
 * reference cannot drift from what the jobs write. A test compares the committed file with {@link
 * #markdown()}; regenerate with {@value #REGENERATE}.
 *
 * <p>The outputs that have no fixed schema (memos, the HTML report, the manifest, quarantined rows)
 * are described here in prose, next to the generator that prints them.
 */
public final class TablesReference {
  private TablesReference() {}

  /** Where the reference lives, relative to the repository root. */
  public static final String PATH = "docs/reference/tables.md";

  /** The command that rewrites the committed reference. */
  public static final String REGENERATE =
      "mvn -o test -Dtest=TablesReferenceTest -Dsegfx.tables.update=true";

  private static final String SEGMENT_INTRO =
      """
      Every table is sorted by its key and written as one file. In Parquet (the default
      `--output-format`) the driver-side tables are written by parquet-mr's `ParquetWriter` directly
      (`part-00000.snappy.parquet` and `_SUCCESS` per table; the file Spark would write for the same
      schema, with Spark's schema in the footer — a test reads both back through Spark and compares
      them), several tables at once; CSV output and `rejected_rows` go through Spark. Every column
      is nullable; NaN marks a number that does not exist for the row.
      """;

  private static final String SEGMENT_OTHER =
      """
      ### Other outputs

      - `rejected_rows` (only when rows were quarantined): the input's own columns plus
        `reject_reason`.
      - `memos/<experiment>.md` (`<experiment>--<variant>.md` for A/B/n): a Markdown decision memo
        per experiment with the seed notebook's section-13 structure — decision, design, estimand,
        prior, posterior result, segments (pooled effect, heterogeneity τ, the most-shrunk
        segment), business value, sensitivity (the prior grid, and whether the decision changes),
        data quality (SRM, quarantined rows) and the recommendation with its reason — one block per
        metric. Every number is printed from the tables above (a test reads both). File names are
        made safe from the ids (no path separators, no leading dots, collisions numbered); the real
        id is inside the file. `--memos top` (the default) writes a memo for each experiment with a
        report page (charted or flagged), `all` for every experiment, `none` none.
      - `memos/all.md` (with `--memos top` or `all`): a digest of every (experiment, variant), in
        (experiment, variant) order, one section each: the verdict with its reason, the primary
        metric's relative effect, expected profit, P(profit > 0) and guardrails, then a line per
        metric (recommendation, effect with its 95% interval, P(effect > 0), expected profit), and
        a link to the memo file where there is one. A digest rather than every full memo: a full
        memo costs hundreds of microseconds to write, a wide run has 100,000 of them. When an
        experiment's own memo is `all.md` (an input without an experiment column has one
        experiment, `all`), the digest is `all-memos.md`; the manifest's `memos_combined` names it.
      - `report/index.html` (continued on `index-2.html`, `index-3.html`, ... beyond 1,000 rows)
        and `report/experiments/<experiment>.html`: the HTML report. The index lists every
        (experiment, variant) in the verdict table's order, with its verdict, primary metric,
        relative effect, expected profit, guardrails, reason, flags (⚑: sample-ratio mismatch, or
        a decision that changes across the prior grid or the bias scenarios) and whether it is
        charted, its metrics folded out below; a pages line ("rows 1–1,000 of 100,000") links the
        neighbouring index pages, and a filter box narrows the page's rows by experiment id,
        variant or verdict. Charted experiments (`--report top:N`, default the 50 of highest
        expected profit plus every flagged one; `all`; `none`: none) and every flagged one have a
        page with the decision table, pooling, segments, prior and bias sensitivity tables and a
        link to the memo; the index links those and lists the others without a link (`--report
        all`: every experiment has a page). Charted pages also get the notebook's charts, drawn
        with JFreeChart and embedded as SVG by Apache Batik: the effect's posterior (exact normal
        density in closed form, else a histogram of the very draws the tables summarise, redrawn
        from the same seed) with its 95% interval, 0 and the threshold; raw vs pooled segment
        estimates with 95% intervals (the 40 largest segments); shrinkage weight vs segment size;
        the posterior under each prior of the grid and each bias scenario (normal curves with
        each posterior's mean and sd); the profit distribution. Experiment pages have no script;
        the index has its filter's, which its Content-Security-Policy admits by hash; the policy
        forbids every other script and remote loads; every id, segment and metric name is
        HTML-escaped (SVG text by Batik).
      - `manifest.json`: `rows_read`, `rows_used`, `rows_rejected`, `rejected_by_reason`,
        `stage1_scan` (`columnar`: Parquet column batches; `rows`: the row path; `estimates`),
        `stage1_sums` (`blocks`: large arm cells of clean batches summed per block; `exact`; `none`),
        the input's path, size, file count and modification time, every setting, the seed,
        segfx/Spark/Scala/Java versions, the master, row counts per table, per-stage wall times
        (`stage_seconds`, incl. `memos`, `report` and `decision_tables`, the driver part of
        `draws`; `write_seconds` per table, the tables, memos and report being written side by
        side), the memo count (`memos`, files, the digest aside) and the digest's path
        (`memos_combined`, null under `--memos none`), and the report's page, chart and index-page
        counts (`report`).

      The run is written into a hidden sibling folder and renamed into place after `manifest.json`
      and `_SUCCESS`, so a reader never sees half a run under `--output`.
      """;

  private static final String IMPACT_OTHER =
      """
      ### Other outputs

      `manifest.json`, and `rejected_rows` when rows were quarantined.
      """;

  /** The reference as Markdown. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("<!-- Generated from io.segfx.io.Schemas by io.segfx.io.TablesReference;")
        .append(" do not edit. Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n# Output tables\n");
    section(md, Command.SEGMENT_EFFECTS, SEGMENT_INTRO, SEGMENT_OTHER);
    section(md, Command.CAUSAL_IMPACT, "", IMPACT_OTHER);
    return md.toString();
  }

  private static void section(StringBuilder md, Command command, String intro, String other) {
    md.append("\n## `").append(command.label()).append("`\n\n");
    if (!intro.isEmpty()) {
      md.append(intro).append('\n');
    }
    for (TableSchema t : Schemas.all()) {
      if (t.command() == command) {
        table(md, t);
      }
    }
    md.append(other);
  }

  private static void table(StringBuilder md, TableSchema t) {
    md.append("### `").append(t.name()).append("`\n\n").append(t.purpose()).append("\n\n");
    md.append("| column | type | nullable | description |\n");
    md.append("|---|---|---|---|\n");
    for (Column c : t.columns()) {
      md.append("| `")
          .append(c.name())
          .append("` | ")
          .append(c.type().sqlName())
          .append(" | ")
          .append(c.nullable() ? "yes" : "no")
          .append(" | ")
          .append(c.description().replace("|", "\\|"))
          .append(" |\n");
    }
    md.append('\n');
  }

  /** Writes the reference to the path given, or to {@link #PATH}. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : PATH);
    Files.writeString(out, markdown(), StandardCharsets.UTF_8);
  }
}
