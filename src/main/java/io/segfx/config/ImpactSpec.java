package io.segfx.config;

import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.util.Checks;
import io.segfx.util.DecimalText;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a {@code causal-impact} run, typed and checked: each option is declared once in
 * {@link #OPTIONS} (its default and help text), resolved by {@link OptionValues} (defaults, then
 * the YAML spec, then flags) and turned into this record by {@link #of}. The compact constructor
 * checks every value, so a spec built in code obeys the same rules as one from the command line.
 *
 * @param input long rows: series, time, outcome, control columns
 * @param output the output folder
 * @param spec the YAML job spec read, or null
 * @param inputFormat {@code parquet} or {@code csv} (by default from the input's name, by the rule
 *     of {@link TableFormat#fromPath}, which both jobs share)
 * @param outputFormat {@code parquet} or {@code csv}
 * @param seriesCol the series id column (absent from the input: one series named {@code all})
 * @param timeCol the time column
 * @param outcomeCol the treated series' outcome column
 * @param controls the control series' columns, at least one, none named twice or in another role
 * @param intervention where each series' intervention time comes from
 * @param trend add a linear time trend regressor
 * @param model the counterfactual model
 * @param burn Gibbs burn-in iterations ({@link Model#LOCAL_LEVEL}, spike-and-slab)
 * @param gibbsDraws kept Gibbs draws ({@link Model#LOCAL_LEVEL}, spike-and-slab)
 * @param draws draws of the predictive sum for the relative effect
 * @param seed the run seed
 * @param alpha significance level, in (0, 1)
 * @param placebos placebo intervention points per series
 * @param prior v0, a0, b0 of the conjugate prior, each positive
 * @param season the seasonal regressors ({@code --season}, {@code --season-duration})
 * @param controlPrior the prior on the control coefficients ({@code --control-prior}, {@code
 *     --expected-size})
 * @param report which series the HTML report charts
 * @param master the Spark master, or null
 * @param mode {@code error} or {@code overwrite} when the output exists
 */
public record ImpactSpec(
    String input,
    String output,
    String spec,
    TableFormat inputFormat,
    TableFormat outputFormat,
    String seriesCol,
    String timeCol,
    String outcomeCol,
    List<String> controls,
    Intervention intervention,
    boolean trend,
    Model model,
    int burn,
    int gibbsDraws,
    int draws,
    long seed,
    double alpha,
    int placebos,
    Prior prior,
    Season season,
    ControlPrior controlPrior,
    ReportScope report,
    String master,
    WriteMode mode) {

  /** The counterfactual models ({@code --model}, spelt in lower case with '-' for '_'). */
  public enum Model {
    /** Regression on the controls with the exact Student-t predictive. */
    REGRESSION,
    /** Random-walk level plus regression, by a Gibbs sampler with FFBS, as CausalImpact. */
    LOCAL_LEVEL;

    /** The value of {@code --model}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Model ofCode(String code) {
      return Arrays.stream(values())
          .filter(m -> m.code().equals(code))
          .findFirst()
          .orElseThrow(
              () ->
                  new UsageException(
                      "--model must be regression or local-level, got '" + code + "'"));
    }
  }

  /** Where the intervention times come from: exactly one of the three options. */
  public sealed interface Intervention {
    /** {@code --intervention-time}: one time for every series, as typed (a number or a date). */
    record AtTime(String text) implements Intervention {}

    /** {@code --intervention-col}: each row's intervention time. */
    record FromColumn(String column) implements Intervention {}

    /** {@code --interventions}: a table of windows (series, start, end). */
    record FromTable(String path) implements Intervention {}
  }

  /**
   * The conjugate prior: beta ~ N(0, sigma² v0 I), sigma² ~ IG(a0, b0), each parameter positive.
   */
  public record Prior(double v0, double a0, double b0) {
    public Prior {
      Checks.positive("--prior v0", v0);
      Checks.positive("--prior a0", a0);
      Checks.positive("--prior b0", b0);
    }
  }

  /**
   * Seasonal regressors: N seasons of D consecutive points each (sum-to-zero dummies, see {@code
   * io.segfx.stats.SeasonalDummies}); N = 0 means none.
   */
  public record Season(int count, int duration) {
    /** No seasonal regressors. */
    public static final Season NONE = new Season(0, 1);

    public Season {
      if (count != 0) {
        Checks.atLeast("--season", count, 2);
      }
      Checks.atLeast("--season-duration", duration, 1);
    }
  }

  /**
   * The prior on the control coefficients: {@code normal} keeps every control with the conjugate
   * normal prior; {@code spike-slab} lets each drop out, with prior inclusion probability min(1,
   * expectedSize / controls) (Brodersen et al. 2015, section 2.2).
   */
  public record ControlPrior(Kind kind, double expectedSize) {
    /** {@code --control-prior} values. */
    public enum Kind {
      NORMAL,
      SPIKE_SLAB;

      /** The value of {@code --control-prior}. */
      public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
      }
    }

    public ControlPrior {
      Objects.requireNonNull(kind, "kind");
      Checks.positive("--expected-size", expectedSize);
    }

    static ControlPrior of(String code, double expectedSize) {
      Kind kind =
          Arrays.stream(Kind.values())
              .filter(k -> k.code().equals(code))
              .findFirst()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--control-prior must be normal or spike-slab, got '" + code + "'"));
      return new ControlPrior(kind, expectedSize);
    }
  }

  /** The options of {@code causal-impact}, each declared once (see {@link ImpactOptions}). */
  public static final List<OptionDef> OPTIONS = ImpactOptions.ALL;

  /** The series id column read when {@code --series-col} is not given. */
  public static final String DEFAULT_SERIES_COL = "series_id";

  public ImpactSpec {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(intervention, "intervention");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prior, "prior");
    Objects.requireNonNull(season, "season");
    Objects.requireNonNull(controlPrior, "controlPrior");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(inputFormat, "inputFormat");
    Objects.requireNonNull(outputFormat, "outputFormat");
    Objects.requireNonNull(mode, "mode");
    controls = List.copyOf(controls);
    checkRoles(controls, Map.of("outcome-col", outcomeCol, "time-col", timeCol), seriesCol);
    Checks.openUnit("--alpha", alpha);
    Checks.atLeast("--draws", draws, 100);
    Checks.atLeast("--placebos", placebos, 0);
    boolean spikeSlab = controlPrior.kind() == ControlPrior.Kind.SPIKE_SLAB;
    if (model == Model.LOCAL_LEVEL || spikeSlab) {
      Checks.atLeast("--burn", burn, 0);
      Checks.atLeast("--gibbs-draws", gibbsDraws, 100);
    }
  }

  /**
   * The spec from resolved options.
   *
   * @throws UsageException naming the option for a missing, conflicting or bad value
   */
  public static ImpactSpec of(OptionValues v) {
    Intervention intervention = intervention(v);
    refuseUnused(v);
    try {
      return new ImpactSpec(
          v.string("input"),
          v.string("output"),
          v.string("spec"),
          v.has("input-format")
              ? TableFormat.of(v.string("input-format"))
              : TableFormat.fromPath(v.string("input")),
          TableFormat.of(v.string("output-format")),
          v.string("series-col"),
          v.string("time-col"),
          v.string("outcome-col"),
          v.list("controls"),
          intervention,
          v.flag("trend"),
          Model.ofCode(v.string("model")),
          v.integer("burn"),
          v.integer("gibbs-draws"),
          v.integer("draws"),
          v.longValue("seed"),
          v.number("alpha"),
          v.integer("placebos"),
          prior(v.list("prior")),
          new Season(
              v.has("season") ? Checks.atLeast("--season", v.integer("season"), 2) : 0,
              v.integer("season-duration")),
          ControlPrior.of(v.string("control-prior"), v.number("expected-size")),
          ReportScope.parse(v.string("report")),
          v.string("master"),
          WriteMode.of(v.string("mode")));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /**
   * Refuses an option given (by flag or YAML) where the other settings make it do nothing, rather
   * than accept it silently: the season's duration without seasons, the expected model size without
   * the spike-and-slab prior, and the Gibbs settings when no sampler runs.
   */
  private static void refuseUnused(OptionValues v) {
    boolean spikeSlab = "spike-slab".equals(v.string("control-prior"));
    boolean sampler = "local-level".equals(v.string("model")) || spikeSlab;
    String[][] rules = {
      {"season-duration", v.has("season") ? null : "it applies only with --season N"},
      {"expected-size", spikeSlab ? null : "it applies only with --control-prior spike-slab"},
      {
        "burn",
        sampler ? null : "it applies only with --model local-level or --control-prior spike-slab"
      },
      {
        "gibbs-draws",
        sampler ? null : "it applies only with --model local-level or --control-prior spike-slab"
      },
    };
    for (String[] r : rules) {
      String source = v.sources().get(r[0]);
      if (r[1] != null && source != null && !"default".equals(source)) {
        throw new UsageException("--" + r[0] + " given, but " + r[1] + "; remove it");
      }
    }
  }

  private static Intervention intervention(OptionValues v) {
    List<Intervention> given = new ArrayList<>();
    if (v.has("intervention-time")) {
      given.add(new Intervention.AtTime(v.string("intervention-time")));
    }
    if (v.has("intervention-col")) {
      given.add(new Intervention.FromColumn(v.string("intervention-col")));
    }
    if (v.has("interventions")) {
      given.add(new Intervention.FromTable(v.string("interventions")));
    }
    if (given.size() != 1) {
      throw new UsageException(
          "give exactly one of --intervention-time T, --intervention-col COLUMN and --interventions"
              + " TABLE");
    }
    return given.get(0);
  }

  private static Prior prior(List<String> p) {
    try {
      if (p.size() == 3) {
        return new Prior(
            DecimalText.parse(p.get(0)), DecimalText.parse(p.get(1)), DecimalText.parse(p.get(2)));
      }
    } catch (IllegalArgumentException e) { // a bad number, or a parameter <= 0
      // reported below
    }
    throw new UsageException("--prior must be three positive numbers v0,a0,b0, got " + p);
  }

  /**
   * A column in two roles would fit the outcome with itself or give a singular design for every
   * series: refused, as the segment job refuses a column named twice.
   */
  private static void checkRoles(List<String> controls, Map<String, String> roles, String series) {
    if (controls.isEmpty()) {
      throw new IllegalArgumentException("--controls needs at least one control column");
    }
    Set<String> seen = new HashSet<>();
    for (String c : controls) {
      if (!seen.add(c)) {
        throw new IllegalArgumentException("--controls names column '" + c + "' twice");
      }
    }
    Map<String, String> all = new LinkedHashMap<>();
    all.put("outcome-col", roles.get("outcome-col"));
    all.put("time-col", roles.get("time-col"));
    all.put("series-col", series);
    for (Map.Entry<String, String> role : all.entrySet()) {
      if (seen.contains(role.getValue())) {
        throw new IllegalArgumentException(
            "--controls names column '"
                + role.getValue()
                + "', which is also the --"
                + role.getKey()
                + "; a control must be another series");
      }
    }
  }

  /**
   * The settings for the run manifest: every component of this record, in order, under its name in
   * snake_case, with a typed value (enums and scopes as their option text, the prior as [v0, a0,
   * b0], the intervention as its three options, two of them null, the season as season (null: none)
   * and season_duration, the control prior as control_prior and expected_size).
   */
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (RecordComponent c : ImpactSpec.class.getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.getName(), e);
      }
      if (value instanceof Season season) {
        m.put("season", season.count() == 0 ? null : season.count());
        m.put("season_duration", season.duration());
      } else if (value instanceof ControlPrior p) {
        m.put("control_prior", p.kind().code());
        m.put("expected_size", p.expectedSize());
      } else if (value instanceof Intervention i) {
        m.put("intervention_time", i instanceof Intervention.AtTime t ? t.text() : null);
        m.put("intervention_col", i instanceof Intervention.FromColumn f ? f.column() : null);
        m.put("interventions", i instanceof Intervention.FromTable t ? t.path() : null);
      } else {
        m.put(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT), typed(value));
      }
    }
    return m;
  }

  private static Object typed(Object value) {
    if (value instanceof Model model) {
      return model.code();
    }
    if (value instanceof TableFormat format) {
      return format.code();
    }
    if (value instanceof WriteMode mode) {
      return mode.code();
    }
    if (value instanceof Prior p) {
      return List.of(p.v0(), p.a0(), p.b0());
    }
    return value instanceof ReportScope scope ? scope.toString() : value;
  }
}
