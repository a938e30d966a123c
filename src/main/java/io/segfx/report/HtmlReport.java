package io.segfx.report;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.Design;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PoolingMethod;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import java.util.List;
import java.util.Map;

/**
 * The run's HTML report: {@code report/index.html} (every experiment, ordered by expected profit)
 * and one page per experiment under {@code report/experiments/}. Pages are self-contained (inline
 * CSS and SVG, no script, no external resource) so they open straight from disk; a
 * Content-Security-Policy forbids scripts and remote loads outright, and every user-supplied string
 * goes through {@link #escape}. This class is the report's entry point; the page skeleton is in
 * {@link Html}, the pages in {@link IndexPage}, {@link ExperimentPage} and {@link ImpactPages}.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Folder of the report inside the run's output folder. */
  public static final String FOLDER = "report";

  /** Folder of the experiment pages inside {@link #FOLDER}. */
  public static final String PAGES = "experiments";

  /** Run-level facts shown on the index page. */
  public record RunSummary(
      String runId,
      long rowsRead,
      long rowsUsed,
      long rowsRejected,
      PoolingMethod pooling,
      Design design,
      String warning,
      String reportScope,
      int charted) {}

  /** One row of the index: a decision and the page it links to (a safe file name). */
  public record IndexRow(DecisionMetrics decision, String page, boolean charted, boolean flagged) {}

  /**
   * One (metric, variant) section of an experiment page.
   *
   * @param charts rendered {@code <svg>} elements (empty when the experiment is not charted)
   * @param memo the memo's path relative to the page
   */
  public record Section(
      DecisionMetrics decision,
      ExperimentPooling pooling,
      List<SegmentEstimate> raw,
      List<SegmentPosterior> segments,
      List<PriorSensitivity> sensitivity,
      List<BiasSensitivity> bias,
      List<String> charts,
      String memo) {}

  /**
   * Escapes text for HTML element content and quoted attribute values: {@code & < > " '} become
   * character references (OWASP's rule for these two contexts), so no user string can open a tag or
   * leave an attribute.
   */
  public static String escape(String s) {
    return Html.escape(s);
  }

  /** The index page: run facts and every decision row, ordered as given (by expected profit). */
  public static String index(RunSummary run, List<IndexRow> rows) {
    return IndexPage.render(run, rows);
  }

  /** One experiment's page: a section per (variant, metric) with numbers, charts and tables. */
  public static String experiment(
      String experimentId, List<Section> sections, String warning, Map<String, String> memoLinks) {
    return ExperimentPage.render(experimentId, sections, warning, memoLinks);
  }

  /**
   * The causal-impact report's index: every series with status and impact figures, in the order
   * given (by probability of a causal effect), linking the charted ones' pages.
   *
   * @param labels each row's series label (the id, with the window when a series has several)
   * @param pages the page file of each charted label
   */
  public static String impactIndex(
      String runId, List<ImpactSummary> rows, List<String> labels, Map<String, String> pages) {
    return ImpactPages.index(runId, rows, labels, pages);
  }

  /** One series' page: its memo paragraph and the two-panel chart. */
  public static String impactPage(String seriesId, String paragraph, String[] charts) {
    return ImpactPages.page(seriesId, paragraph, charts);
  }
}
