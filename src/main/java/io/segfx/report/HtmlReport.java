package io.segfx.report;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.Design;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.PoolingMethod;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.RunSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import java.util.List;
import java.util.Map;

/**
 * The run's HTML report: {@code report/index.html} (every experiment's verdicts, in table order,
 * continued on {@code index-2.html}, ... past {@link #INDEX_ROWS} rows) and a page per charted or
 * flagged experiment under {@code report/experiments/}. Pages are self-contained (inline CSS and
 * SVG, no external resource) so they open straight from disk; a Content-Security-Policy forbids
 * remote loads and every script but the index's own filter, admitted by its hash, and every
 * user-supplied string goes through {@link #escape}. This class is the report's entry point; the
 * page skeleton is in {@link Html}, the pages in {@link IndexPage}, {@link ExperimentPage} and
 * {@link ImpactPages}.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Folder of the report inside the run's output folder. */
  public static final String FOLDER = "report";

  /** Folder of the experiment pages inside {@link #FOLDER}. */
  public static final String PAGES = "experiments";

  /**
   * Rows per index page: a page of a run with 100,000 (experiment, variant) pairs stays a few
   * megabytes, which a browser opens and filters at once.
   */
  public static final int INDEX_ROWS = 1000;

  /**
   * Run-level facts shown on the index page (the run's decisions at a glance are {@link
   * RunSummary}).
   */
  public record RunFacts(
      String runId,
      long rowsRead,
      long rowsUsed,
      long rowsRejected,
      PoolingMethod pooling,
      Design design,
      String warning,
      String reportScope,
      int charted) {}

  /**
   * One row of the index: an (experiment, variant)'s verdict, with its metric rows folded out below
   * it.
   *
   * @param verdict the pair's verdict, or null where the run made none
   * @param metrics the pair's decision rows with their thresholds, in table order
   * @param page the experiment's page (a safe file name), or null when it has none
   * @param charted whether the page has charts
   * @param flags why the pair is flagged (&#9873;), each in words; empty when it is not
   */
  public record IndexRow(
      String experimentId,
      String variant,
      ExperimentVerdict verdict,
      List<MetricRow> metrics,
      String page,
      boolean charted,
      List<String> flags) {
    public IndexRow {
      metrics = List.copyOf(metrics);
      flags = List.copyOf(flags);
    }
  }

  /** A decision row and the threshold its P(effect &gt; threshold) uses, in the metric's units. */
  public record MetricRow(DecisionMetrics decision, double threshold) {}

  /**
   * An experiment page's verdict banner for one variant.
   *
   * @param verdict the variant's verdict, or null where the run made none
   * @param context what the verdict's words need (labels, launch bar, sample-ratio flag)
   * @param flags why the variant is flagged, each in words
   */
  public record Banner(
      String variant, ExperimentVerdict verdict, VerdictWords.Context context, List<String> flags) {
    public Banner {
      flags = List.copyOf(flags);
    }
  }

  /**
   * One experiment's page.
   *
   * @param banners a verdict banner per variant, in variant order
   * @param sections a section per (variant, metric)
   * @param warning the design's warning, or null
   * @param memoLinks each variant's memo path relative to the page
   * @param labels currency and metric units
   * @param index the index page listing the experiment, relative to the report folder
   */
  public record Page(
      String experimentId,
      List<Banner> banners,
      List<Section> sections,
      String warning,
      Map<String, String> memoLinks,
      Labels labels,
      String index) {
    /** A page of a run whose index is one page. */
    public Page(
        String experimentId,
        List<Banner> banners,
        List<Section> sections,
        String warning,
        Map<String, String> memoLinks,
        Labels labels) {
      this(experimentId, banners, sections, warning, memoLinks, labels, indexFile(0));
    }
  }

  /**
   * One (metric, variant) section of an experiment page.
   *
   * @param charts rendered {@code <svg>} elements (empty when the experiment is not charted)
   * @param memo the memo's path relative to the page
   * @param threshold the threshold of P(effect &gt; threshold), in the metric's units
   * @param relativeThreshold the threshold of P(relative effect &gt; threshold), a fraction
   */
  public record Section(
      DecisionMetrics decision,
      ExperimentPooling pooling,
      List<SegmentEstimate> raw,
      List<SegmentPosterior> segments,
      List<PriorSensitivity> sensitivity,
      List<BiasSensitivity> bias,
      List<String> charts,
      String memo,
      double threshold,
      double relativeThreshold) {}

  /**
   * Escapes text for HTML element content and quoted attribute values: {@code & < > " '} become
   * character references (OWASP's rule for these two contexts), so no user string can open a tag or
   * leave an attribute.
   */
  public static String escape(String s) {
    return Html.escape(s);
  }

  /**
   * The index as one page: run facts, the run's verdict summary, and a row per (experiment,
   * variant) in the order given (the verdict table's), each with its metric rows folded out below.
   */
  public static String index(RunFacts run, RunSummary summary, Labels labels, List<IndexRow> rows) {
    return IndexPage.render(run, summary, labels, rows, 0, Math.max(1, rows.size()));
  }

  /**
   * Index page {@code page} (from 0) of {@code rows} cut into pages of {@code perPage} rows: as
   * {@link #index(RunFacts, RunSummary, Labels, List)} for the page's rows, with a line naming them
   * and links to the neighbouring pages when there is more than one page.
   *
   * @throws IllegalArgumentException when {@code page} is not one of {@link #indexPages} pages
   */
  public static String index(
      RunFacts run, RunSummary summary, Labels labels, List<IndexRow> rows, int page, int perPage) {
    return IndexPage.render(run, summary, labels, rows, page, perPage);
  }

  /** How many index pages {@code rows} rows take at {@code perPage} a page: at least one. */
  public static int indexPages(int rows, int perPage) {
    return IndexPage.pages(rows, perPage);
  }

  /**
   * Index page {@code page}'s file in {@link #FOLDER} (from 0): {@code index.html}, {@code
   * index-2.html}, ...
   */
  public static String indexFile(int page) {
    return IndexPage.file(page);
  }

  /**
   * One experiment's page: a verdict banner per variant, then a section per (variant, metric) with
   * numbers, charts and tables.
   */
  public static String experiment(Page page) {
    return ExperimentPage.render(page);
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

  /**
   * One series' page: CausalImpact's three panels on one time axis, its summary table, and our
   * paragraph.
   *
   * @param chart the {@link Charts#impactPanels} figure
   */
  public static String impactPage(
      String label, ImpactTable table, ImpactTime time, String paragraph, String chart) {
    return ImpactPages.page(label, table, time, paragraph, chart);
  }
}
