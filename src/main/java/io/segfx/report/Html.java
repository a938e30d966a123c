package io.segfx.report;

import static io.segfx.report.DecisionMemo.number;
import static io.segfx.report.DecisionMemo.probability;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The report pages' skeleton and cells: the page head with its Content-Security-Policy and inline
 * style, the footer, escaping, and the table cells that print a number, a probability or an
 * interval. Every page writer builds on these, so pages agree cell for cell.
 */
final class Html {
  private Html() {}

  private static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action"
          + " 'none'";

  private static final String STYLE =
      """
      body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
      margin:24px;color:#222;max-width:1400px}
      h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}\
      h3{font-size:15px}
      table{border-collapse:collapse;font-size:13px;margin:8px 0}
      th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}th{background:#f3f3f3}
      td.l,th.l{text-align:left}
      .launch{color:#1a7f37;font-weight:600}.do_not_launch{color:#b42318;font-weight:600}
      .collect_more_data{color:#9a6700;font-weight:600}.investigate{color:#8250df;font-weight:600}
      .investigate_srm,.insufficient_data{color:#b42318}
      .badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px}
      .g-ok{background:#dafbe1}.g-violated{background:#ffebe9}.g-uncertain{background:#fff8c5}\
      .g-none{background:#eee}
      .banner{border:2px solid #ccc;padding:8px 12px;margin:12px 0}.banner p{margin:4px 0}
      .b-launch{border-color:#1a7f37}.b-do_not_launch{border-color:#b42318}
      .b-collect_more_data{border-color:#9a6700}.b-investigate{border-color:#8250df}
      td:not(.l){white-space:nowrap}
      .flag{color:#b42318}tr.fold td{border-top:none}details summary{cursor:pointer;color:#666}
      .warn{background:#fff4e5;border:1px solid #f5b971;padding:8px 12px;margin:12px 0}
      .charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #eee}
      .muted{color:#666;font-size:12px}
      """;

  /**
   * Escapes text for HTML element content and quoted attribute values: {@code & < > " '} become
   * character references (OWASP's rule for these two contexts), so no user string can open a tag or
   * leave an attribute.
   */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A page's opening. Pages are kept to Latin-1 text (symbols beyond it are written as entities),
   * so the builder stays one byte per character; one wider character would double every page's
   * buffer and its copies.
   */
  static StringBuilder head(String title) {
    return headWithPolicy(title, CSP);
  }

  /**
   * A page's opening whose policy admits exactly one inline script, {@code script}, by its SHA-256
   * (CSP Level 2 hash source): any other script, inline or injected, stays blocked.
   */
  static StringBuilder head(String title, String script) {
    return headWithPolicy(title, "script-src '" + sha256(script) + "'; " + CSP);
  }

  private static StringBuilder headWithPolicy(String title, String policy) {
    StringBuilder b = new StringBuilder(16 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(policy)
        .append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    return b;
  }

  /** A CSP hash source, {@code sha256-<base64>}, of a script's UTF-8 text. */
  static String sha256(String script) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** A page's closing, returning the finished page. */
  static String tail(StringBuilder b) {
    b.append(
        "<p class=\"muted\">Written by segfx. Numbers are those of the run's tables.</p>\n"
            + "</body>\n"
            + "</html>\n");
    return b.toString();
  }

  /** The run's warning box, if there is a warning. */
  static void warning(StringBuilder b, String warning) {
    if (warning != null) {
      b.append("<div class=\"warn\"><b>Warning:</b> ").append(escape(warning)).append("</div>\n");
    }
  }

  /** SVG charts side by side. */
  static void charts(StringBuilder b, Iterable<String> svgs) {
    b.append("<div class=\"charts\">\n");
    for (String svg : svgs) {
      b.append(svg).append('\n');
    }
    b.append("</div>\n");
  }

  /** A number cell. */
  static StringBuilder num(StringBuilder b, double v) {
    return b.append("<td>").append(number(v)).append("</td>");
  }

  /** A probability cell. */
  static StringBuilder prob(StringBuilder b, double p) {
    return b.append("<td>").append(probability(p)).append("</td>");
  }

  /** An interval cell, {@code [lo, hi]}. */
  static StringBuilder interval(StringBuilder b, double lo, double hi) {
    return b.append("<td>").append(DecisionMemo.interval(lo, hi)).append("</td>");
  }

  /** The cells of an effect: mean, 95% interval and P(effect > 0). */
  static void effectCells(StringBuilder b, DecisionMetrics r) {
    num(b, r.effectMean());
    interval(b, r.effectQ025(), r.effectQ975());
    prob(b, r.probPositive());
  }

  /**
   * A verdict's guardrail badge, {@code ok}, {@code violated}, {@code uncertain} or {@code none},
   * with the violated guardrails named.
   */
  static void guardrails(StringBuilder b, ExperimentVerdict v) {
    String code = v.guardrailStatus().code();
    b.append("<span class=\"badge g-").append(code).append("\">").append(code).append("</span>");
    if (!v.guardrailsViolated().isEmpty()) {
      b.append(' ').append(escape(String.join(", ", v.guardrailsViolated())));
    }
  }

  /** Flags (&#9873;), each with its reason in words. */
  static void flags(StringBuilder b, List<String> flags) {
    for (int i = 0; i < flags.size(); i++) {
      b.append(i == 0 ? "" : "<br>")
          .append("<span class=\"flag\">&#9873; ")
          .append(escape(flags.get(i)))
          .append("</span>");
    }
  }

  /** A relative-effect cell: the mean in %, then its 95% interval where the run has one. */
  static void relative(StringBuilder b, double mean, double lo, double hi) {
    b.append("<td>").append(VerdictWords.percent(mean));
    if (!Double.isNaN(lo) || !Double.isNaN(hi)) {
      b.append(' ').append(VerdictWords.percentInterval(lo, hi));
    }
    b.append("</td>");
  }

  /** A recommendation cell, styled by its code. */
  static void recommendation(StringBuilder b, String rec) {
    // The class is one of the fixed recommendation codes; escaped anyway.
    b.append("<td class=\"l ")
        .append(escape(rec))
        .append("\">")
        .append(escape(rec))
        .append("</td>");
  }
}
