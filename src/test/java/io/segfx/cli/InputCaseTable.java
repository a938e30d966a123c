package io.segfx.cli;

import static io.segfx.cli.InputCases.HEADER;
import static io.segfx.cli.InputCases.args;
import static io.segfx.cli.InputCases.csv;
import static io.segfx.cli.InputCases.csvText;
import static io.segfx.cli.InputCases.estimates;
import static io.segfx.cli.InputCases.good;
import static io.segfx.cli.InputCases.ok;
import static io.segfx.cli.InputCases.reasons;
import static io.segfx.cli.InputCases.refuse;
import static io.segfx.cli.InputCases.run;
import static io.segfx.cli.InputCases.units;
import static io.segfx.cli.InputCases.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.cli.InputCases.Answer;
import io.segfx.cli.InputCases.Case;
import io.segfx.cli.InputCases.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/** The cases; the case table of docs/operations.md lists the same names. */
final class InputCaseTable {
  private InputCaseTable() {}

  private static final Map<String, Long> NONE = Map.of();

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    byte[] good = csv(HEADER, good());

    // -- Output safety
    c.add(
        new Case(
            "overwrite-input-folder",
            null,
            null,
            args(
                "segment-effects",
                "--input",
                "{dir}/data",
                "--output",
                "{dir}/data",
                "--mode",
                "overwrite",
                "--metric",
                "y"),
            new Refusal("overlaps the input"),
            Map.of("data/in.csv", good)));
    c.add(
        new Case(
            "overwrite-parent-of-input",
            null,
            null,
            args(
                "segment-effects",
                "--input",
                "{dir}/data/in.csv",
                "--output",
                "{dir}/data",
                "--mode",
                "overwrite",
                "--metric",
                "y"),
            new Refusal("overlaps the input"),
            Map.of("data/in.csv", good)));
    c.add(
        refuse(
            "overwrite-input-file",
            good,
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{in}",
                "--mode",
                "overwrite",
                "--metric",
                "y"),
            "overlaps the input"));
    c.add(
        refuse(
            "output-inside-input-folder",
            good,
            args("segment-effects", "--input", "{dir}", "--output", "{dir}/out", "--metric", "y"),
            "overlaps the input"));
    c.add(
        new Case(
            "overwrite-foreign-folder",
            "in.csv",
            good,
            run("--mode", "overwrite"),
            new Refusal("is not a previous segfx output"),
            Map.of("out/notes.txt", bytes("keep me"))));
    c.add(
        new Case(
            "output-under-a-file",
            "in.csv",
            good,
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{dir}/notes.txt/out",
                "--metric",
                "y"),
            new Refusal("which is a file"),
            Map.of("notes.txt", bytes("x"))));
    c.add(
        refuse(
                "output-is-an-existing-file",
                good,
                run(),
                "is an existing file, not a folder; choose a folder path")
            .withSetup(Map.of("out", bytes("keep me"))));
    c.add(
        refuse(
                "output-exists-without-overwrite",
                good,
                run(),
                "exists; choose another folder or pass --mode overwrite")
            .withSetup(Map.of("out/manifest.json", bytes("{}"))));
    c.add(
        ok("overwrite-previous-segfx-output", good, run("--mode", "overwrite"), 240, NONE, null)
            .withSetup(
                Map.of(
                    "out/manifest.json",
                    bytes("{\"run_id\":\"r0\",\"command\":\"segment-effects\"}"),
                    "out/segment_estimates/part-0.parquet",
                    bytes("old"))));
    c.add(
        refuse(
                "overwrite-output-with-user-files",
                good,
                run("--mode", "overwrite"),
                "holds files segfx did not write (NOTES.txt)")
            .withSetup(
                Map.of(
                    "out/manifest.json",
                    bytes(
                        "{\"run_id\":\"r0\",\"command\":\"segment-effects\",\"outputs\":[\"memos\"]}"),
                    "out/memos/e0.md",
                    bytes("old"),
                    "out/NOTES.txt",
                    bytes("mine"))));
    c.add(
        refuse(
                "glob-characters-in-input",
                good,
                args(
                    "segment-effects",
                    "--input",
                    "{dir}/data[1].csv",
                    "--output",
                    "{out}",
                    "--metric",
                    "y"),
                "which Spark reads as a file pattern")
            .withFile("data[1].csv")
            .withSetup(Map.of("data1.csv", good)));
    c.add(
        refuse(
            "unwritable-output",
            good,
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "/proc/segfx-out",
                "--metric",
                "y"),
            "cannot write --output"));

    // -- CSV as the world writes it
    c.add(
        ok(
            "rfc4180-doubled-quotes",
            csv(
                HEADER,
                with(
                    good(),
                    "e0,\"s \"\"quoted\"\", name\",1,2.0",
                    "e0,\"s \"\"quoted\"\", name\",0,1.0")),
            run(),
            242,
            NONE,
            r ->
                assertTrue(
                    r.segments("e0").contains("s \"quoted\", name"), r.segments("e0").toString())));
    c.add(
        ok(
            "quoted-newline-in-id",
            csv(HEADER, with(good(), "e0,\"two\nlines\",1,2.0", "e0,\"two\nlines\",0,1.0")),
            run(),
            242,
            NONE,
            r -> assertTrue(r.segments("e0").contains("two\nlines"))));
    c.add(
        ok(
            "too-many-fields",
            csv(HEADER, with(good(), "e0,s0,1,2.0,extra")),
            run(),
            241,
            reasons("malformed_line", 1),
            null));
    c.add(
        ok(
            "too-few-fields",
            csv(HEADER, with(good(), "e0,s0,1")),
            run(),
            241,
            reasons("malformed_line", 1),
            null));
    c.add(
        ok(
            "excel-bom-header",
            concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, good),
            run(),
            240,
            NONE,
            r -> assertEquals(Set.of("e0", "e1"), r.experiments())));
    c.add(
        refuse(
            "semicolon-separated",
            csv(HEADER.replace(',', ';'), semi(good())),
            run(),
            "--csv-delimiter ';'"));
    c.add(
        ok(
            "semicolon-with-delimiter",
            csv(HEADER.replace(',', ';'), semi(good())),
            run("--csv-delimiter", ";"),
            240,
            NONE,
            r -> assertEquals(Set.of("e0", "e1"), r.experiments())));
    c.add(
        ok(
            "tab-separated",
            csv(HEADER.replace(',', '\t'), tabs(good())),
            run("--csv-delimiter", "\\t"),
            240,
            NONE,
            null));
    c.add(
        ok(
            "crlf-line-endings",
            csvText(HEADER, good(), "\r\n").getBytes(StandardCharsets.UTF_8),
            run(),
            240,
            NONE,
            r -> assertEquals(Set.of("s0", "s1", "s2"), r.segments("e0"))));
    c.add(
        ok(
            "decimal-comma-quoted-values",
            csv(HEADER, with(good(), "e0,s0,1,\"1,5\"")),
            run(),
            241,
            reasons("not_numeric:y", 1),
            null));
    c.add(
        refuse(
            "decimal-comma-every-row",
            csv(HEADER.replace(',', ';'), decimalCommas(semi(good()))),
            run("--csv-delimiter", ";"),
            "none of its 240 rows can be used; 240 are quarantined as not_numeric:y; if the file"
                + " writes decimals with a comma (10,52), export it with a decimal point"));
    c.add(ok("gzip-csv", gzip(good), run(), 240, NONE, null).withFile("in.csv.gz"));
    c.add(
        ok("csv-file-named-txt", good, run("--input-format", "csv"), 240, NONE, null)
            .withFile("in.txt"));
    c.add(
        new Case(
            "folder-with-other-files",
            null,
            null,
            args(
                "segment-effects",
                "--input",
                "{dir}/data",
                "--input-format",
                "csv",
                "--output",
                "{out}",
                "--metric",
                "y",
                "--draws",
                "500"),
            new Answer(
                240,
                NONE,
                r -> {
                  assertEquals(1, r.manifest().get("inputs").get(0).get("files_read").size());
                  assertEquals(2, r.manifest().get("inputs").get(0).get("files_skipped").size());
                }),
            Map.of(
                "data/part-1.csv",
                good,
                "data/README.txt",
                bytes("not data"),
                "data/notes.xlsx",
                bytes("PK"))));
    c.add(
        new Case(
            "folder-of-part-files",
            null,
            null,
            args(
                "segment-effects",
                "--input",
                "{dir}/data",
                "--input-format",
                "csv",
                "--output",
                "{out}",
                "--metric",
                "y",
                "--draws",
                "500"),
            new Answer(
                240,
                NONE,
                r -> assertEquals(2, r.manifest().get("inputs").get(0).get("files_read").size())),
            Map.of(
                "data/part-0.csv",
                csv(HEADER, good().subList(0, 100)),
                "data/part-1.csv",
                csv(HEADER, good().subList(100, 240)))));
    c.add(
        new Case(
            "files-with-other-column-order",
            null,
            null,
            args(
                "segment-effects",
                "--input",
                "{dir}/data",
                "--input-format",
                "csv",
                "--output",
                "{out}",
                "--metric",
                "y"),
            new Refusal("the files' CSV headers differ"),
            Map.of(
                "data/part-0.csv",
                csv(HEADER, good().subList(0, 100)),
                "data/part-1.csv",
                csv("segment,experiment_id,arm,y", swapFirstTwo(good().subList(100, 240))))));
    c.add(
        new Case(
            "folder-without-csv",
            null,
            null,
            args(
                "segment-effects",
                "--input",
                "{dir}/data",
                "--input-format",
                "csv",
                "--output",
                "{out}",
                "--metric",
                "y"),
            new Refusal("holds no csv file"),
            Map.of("data/README.txt", bytes("not data"))));
    c.add(refuse("header-only", csv(HEADER, List.of()), run(), "has no rows"));
    c.add(
        ok(
            "quoted-empty-metric",
            csv(HEADER, with(good(), "e0,s0,1,\"\"")),
            run(),
            241,
            reasons("null:y", 1),
            null));
    c.add(
        ok(
            "spaces-inside-ids-kept",
            csv(HEADER, with(units(1, 1, 20, a -> a), unitsIn("s0 ", 20))),
            run(),
            80,
            NONE,
            r -> assertEquals(Set.of("s0", "s0 "), r.segments("e0"))));
    c.add(
        ok(
            "postgres-copy-null-word",
            csv(HEADER, with(good(), "e0,s0,1,\\N")),
            run(),
            241,
            reasons("not_numeric:y", 1),
            null));

    c.add(
        ok(
            "latin1-ids-quarantined",
            latin1(),
            run(),
            160,
            reasons("not_utf8:segment", 80),
            r -> assertEquals(Set.of("x"), r.segments("e0"))));
    c.add(
        ok(
            "latin1-with-encoding",
            latin1(),
            run("--csv-encoding", "ISO-8859-1"),
            160,
            NONE,
            r -> assertEquals(Set.of("café", "cafè", "x"), r.segments("e0"))));
    c.add(
        refuse(
            "utf16-file",
            csvText(HEADER, good(), "\n").getBytes(StandardCharsets.UTF_16LE),
            run(),
            "pass --csv-encoding UTF-16"));
    c.add(
        refuse(
            "excel-sep-line",
            csv("sep=,\n" + HEADER, good()),
            run(),
            "Excel's separator line 'sep='"));
    c.add(refuse("colon-in-file-name", good, run(), "has a ':' in its name").withFile("a:b.csv"));
    c.add(
        refuse(
            "colon-in-output-name",
            good,
            args("segment-effects", "--input", "{in}", "--output", "{dir}/o:b", "--metric", "y"),
            "':'"));

    // -- Columns
    c.add(
        ok(
            "header-case-differs",
            csv("Experiment_ID,Segment,ARM,Y", good()),
            run(),
            240,
            NONE,
            r -> {
              assertEquals(Set.of("e0", "e1"), r.experiments());
              assertTrue(
                  r.manifest().get("inputs").get(0).get("columns_matched").has("experiment_id"));
            }));
    c.add(
        ok(
            "header-spaces",
            csv(" experiment_id , segment ,arm, y", good()),
            run(),
            240,
            NONE,
            r -> assertEquals(Set.of("e0", "e1"), r.experiments())));
    c.add(
        refuse(
            "columns-differ-only-in-case",
            csv("experiment_id,segment,arm,ARM,y", addColumn(good())),
            run(),
            "names column 'ARM' twice"));
    c.add(
        refuse(
            "metric-missing",
            good,
            args("segment-effects", "--input", "{in}", "--output", "{out}", "--metric", "revenue"),
            "input has no column 'revenue'"));
    c.add(
        ok(
            "segment-column-absent",
            csv("experiment_id,arm,y", dropSegment(good())),
            run(),
            240,
            NONE,
            r ->
                assertTrue(
                    r.manifest().get("inputs").get(0).get("columns_absent").has("segment"))));
    c.add(refuse("covariate-typo", good, run("--covariates", "x1"), "input has no column 'x1'"));
    c.add(ok("pandas-index-column", csv("," + HEADER, indexed(good())), run(), 240, NONE, null));

    // -- Arms
    c.add(
        refuse(
            "string-arms-default-control",
            csv(HEADER, units(2, 3, 20, a -> a.equals("0") ? "control" : "treatment")),
            run(),
            "arms seen: 'control', 'treatment'; pass --control-arm"));
    c.add(
        ok(
            "string-arms-named-control",
            csv(HEADER, units(2, 3, 20, a -> a.equals("0") ? "control" : "treatment")),
            run("--control-arm", "control"),
            240,
            NONE,
            r -> assertEquals(Set.of("treatment"), r.variants())));
    c.add(
        ok(
            "pandas-float-arms",
            csv(HEADER, units(2, 3, 20, a -> a + ".0")),
            run(),
            240,
            NONE,
            r -> assertEquals(Set.of("1"), r.variants())));
    c.add(
        ok(
            "boolean-arms",
            csv(HEADER, units(2, 3, 20, a -> a.equals("0") ? "False" : "True")),
            run(),
            240,
            NONE,
            r -> assertEquals(Set.of("1"), r.variants())));
    c.add(
        ok(
            "padded-arms",
            csv(HEADER, units(2, 3, 20, a -> " " + a)),
            run(),
            240,
            NONE,
            r -> assertEquals(Set.of("1"), r.variants())));
    c.add(
        ok(
            "control-arm-given-as-float",
            good,
            run("--control-arm", "0.0"),
            240,
            NONE,
            r -> assertEquals(Set.of("1"), r.variants())));
    c.add(
        ok(
            "nan-and-null-arms",
            csv(
                HEADER,
                with(good(), "e0,s0,NaN,1.0", "e0,s0,NULL,1.0", "e0,s0,,1.0", "e0,s0,None,1.0")),
            run(),
            244,
            reasons("null:arm", 4),
            r -> assertEquals(Set.of("1"), r.variants())));
    c.add(
        ok(
            "one-experiment-all-control",
            csv(HEADER, with(good(), allControl("lonely", 30))),
            run("--report", "none"),
            270,
            NONE,
            r -> {
              assertEquals("insufficient_data", r.recommendation("lonely"));
              assertEquals(Set.of("e0", "e1", "lonely"), r.experiments());
            }));
    c.add(
        ok(
            "experiment-without-control",
            csv(HEADER, with(good(), allTreated("orphan", 30))),
            run(),
            270,
            NONE,
            r -> assertEquals("insufficient_data", r.recommendation("orphan"))));
    c.add(ok("declared-variants-as-floats", good, run("--variants", "1.0"), 240, NONE, null));
    c.add(
        ok(
            "unknown-arm-quarantined",
            csv(HEADER, with(good(), "e0,s0,7,1.0")),
            run("--variants", "1"),
            241,
            reasons("unknown_arm", 1),
            null));

    // -- Values
    c.add(
        ok(
            "nan-metric",
            csv(HEADER, with(good(), "e0,s0,1,NaN", "e0,s0,0,nan")),
            run(),
            242,
            reasons("nonfinite:y", 2),
            null));
    c.add(
        ok(
            "overflowing-number",
            csv(HEADER, with(good(), "e0,s0,1,1e400")),
            run(),
            241,
            reasons("nonfinite:y", 1),
            null));
    c.add(
        ok(
            "text-in-metric",
            csv(HEADER, with(good(), "e0,s0,1,abc")),
            run(),
            241,
            reasons("not_numeric:y", 1),
            null));
    c.add(
        ok(
            "java-number-literals",
            csv(HEADER, with(good(), "e0,s0,1,7.7d", "e0,s0,0,0x1p3", "e0,s0,1,1.5f")),
            run(),
            243,
            reasons("not_numeric:y", 3),
            null));
    c.add(
        ok(
            "quoted-empty-segment",
            csv(HEADER, with(good(), "e0,\"\",1,1.0")),
            run(),
            241,
            reasons("null:segment", 1),
            null));
    c.add(
        ok(
            "binary-metric-not-0-1",
            csv(HEADER, binary(with(good()), "2")),
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{out}",
                "--metric",
                "y:binary",
                "--draws",
                "500"),
            241,
            reasons("not_binary:y", 1),
            null));
    c.add(
        ok(
            "binary-metric-as-float",
            csv(HEADER, binaryFloats(good())),
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{out}",
                "--metric",
                "y:binary",
                "--draws",
                "500"),
            240,
            NONE,
            null));
    c.add(
        ok(
            "null-experiment-id",
            csv(HEADER, with(good(), ",s0,1,1.0")),
            run(),
            241,
            reasons("null:experiment_id", 1),
            null));

    c.add(
        ok(
            "counts-beyond-2-pow-53",
            csv(
                "experiment_id,segment,arm,n,conversions",
                List.of(
                    "e0,s0,0,9223372036854775808,1",
                    "e0,s0,1,100,1",
                    "e1,s0,0,100,10",
                    "e1,s0,1,100,12")),
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{out}",
                "--input-kind",
                "counts",
                "--metric",
                "conversions:binary"),
            4,
            reasons("out_of_range:n", 1),
            null));
    c.add(
        ok(
            "estimates-zero-n",
            csv(
                "experiment_id,segment,estimate,std_error,n",
                List.of(
                    "good,s1,0.1,0.05,100",
                    "good,s2,0.2,0.07,100",
                    "good,s3,0.15,0.06,100",
                    "bad,s1,0.1,0.05,0")),
            estimates(),
            4,
            reasons("not_positive:n", 1),
            r -> assertEquals(Set.of("good"), r.experiments())));
    c.add(
        ok(
            "estimates-n-beyond-2-pow-53",
            csv(
                "experiment_id,segment,estimate,std_error,n",
                List.of(
                    "good,s1,0.1,0.05,100",
                    "good,s2,0.2,0.07,100",
                    "good,s3,0.15,0.06,100",
                    "bad,s1,0.1,0.05,1e300",
                    "bad,s2,0.1,0.05,NaN")),
            estimates(),
            5,
            reasons("out_of_range:n", 1, "nonfinite:n", 1),
            r -> assertEquals(Set.of("good"), r.experiments())));
    c.add(
        ok(
            "estimates-beyond-1e150",
            csv(
                "experiment_id,segment,estimate,std_error",
                List.of(
                    "good,s1,0.1,0.05",
                    "good,s2,0.2,0.07",
                    "good,s3,0.15,0.06",
                    "big,s1,1e200,1",
                    "big,s2,-1e200,1",
                    "big,s3,0,1")),
            estimates(),
            6,
            reasons("out_of_range:estimate", 2),
            r -> assertEquals(Set.of("good", "big"), r.experiments())));
    c.add(
        ok(
            "unit-in-two-experiments",
            csv("experiment_id,segment,unit,arm,y", withUnits(good())),
            run("--unit-col", "unit"),
            240,
            NONE,
            null));
    c.add(
        ok(
            "near-constant-segment-reml",
            csv(HEADER, nearConstant()),
            run("--pooling", "reml"),
            160,
            NONE,
            r ->
                assertFalse(
                    "insufficient_data".equals(r.recommendation("e0")),
                    "pooled despite one se of 1e-10")));
    c.add(
        ok(
            "near-constant-segment-dl",
            csv(HEADER, nearConstant()),
            run("--pooling", "dl"),
            160,
            NONE,
            r ->
                assertFalse(
                    "insufficient_data".equals(r.recommendation("e0")),
                    "pooled despite one se of 1e-10")));

    // -- Options that change decisions
    c.add(
        refuse(
            "threshold-typo",
            good,
            run("--threshold", "revenu=0.5"),
            "--threshold names metric 'revenu'"));
    c.add(
        refuse(
            "threshold-nan", good, run("--threshold", "NaN"), "--threshold 'NaN' must be finite"));
    c.add(
        refuse(
            "expected-split-infinite",
            good,
            run("--expected-split", "inf/1"),
            "--expected-split weights must be finite, got 'inf/1'"));
    c.add(
        refuse(
            "expected-split-beyond-1e150",
            good,
            run("--expected-split", "1e300/1e300"),
            "--expected-split weights must be between 1e-150 and 1e150"));
    c.add(
        refuse(
            "expected-split-beyond-1e9",
            good,
            run("--expected-split", "1e10/0.5"),
            "--expected-split weights must be within a factor of 1e9 of each other"));
    c.add(
        refuse(
            "negative-users",
            good,
            run("--users", "-5", "--value-per-unit", "1", "--cost", "0"),
            "--users must be >= 0"));
    c.add(
        refuse(
            "draws-beyond-memory",
            good,
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{out}",
                "--metric",
                "y",
                "--draws",
                "2000000000"),
            "--draws 2000000000 needs at least"));
    c.add(
        refuse(
            "prior-grid-continuous",
            good,
            run("--prior-grid", "flat=1,1"),
            "no --metric is binary"));
    c.add(
        ok(
            "observational-no-srm",
            csv(HEADER, units(2, 3, 20, a -> a)),
            run("--design", "observational"),
            240,
            NONE,
            r -> assertFalse(r.stdout().contains("investigate_srm"), r.stdout())));
    c.add(
        refuse(
            "bad-master",
            good,
            run("--master", "foo"),
            "--master 'foo' is not a Spark master URL"));
    c.add(
        refuse(
            "metric-kind-typo",
            good,
            args("segment-effects", "--input", "{in}", "--output", "{out}", "--metric", "y:binry"),
            "unknown kind 'binry'"));
    c.add(refuse("option-typo", good, run("--metrc", "y"), "--metrc"));
    c.add(refuse("mode-typo", good, run("--mode", "overwrit"), "'overwrit' is not one of"));
    c.add(refuse("delimiter-too-long", good, run("--csv-delimiter", "::"), "--csv-delimiter '::'"));
    c.add(
        refuse(
            "control-arm-nan",
            good,
            run("--control-arm", "NaN"),
            "--control-arm 'NaN' reads as a missing value"));
    c.add(
        refuse(
            "value-per-unit-typo",
            good,
            run("--users", "10", "--value-per-unit", "yy=1", "--cost", "0"),
            "--value-per-unit names metric 'yy'"));
    c.add(
        refuse(
            "relative-threshold-below-minus-one",
            good,
            run("--relative-threshold", "-2"),
            "--relative-threshold must be"));
    c.add(
        refuse(
            "option-given-twice",
            good,
            run("--pooling", "reml", "--pooling", "dl"),
            "--pooling is given 2 times"));
    c.add(
        refuse(
            "threshold-metric-twice",
            good,
            run("--threshold", "y=0.1,y=0.2"),
            "gives metric 'y' twice"));
    c.add(
        refuse(
            "infinite-prior-shape",
            good,
            run("--nig-prior", "0,Infinity,1,1"),
            "--nig-prior: 'Infinity' must be a finite number"));
    c.add(
        refuse(
            "mu-prior-extreme",
            good,
            run("--mu-prior", "normal:0,1e-300"),
            "--mu-prior 'normal:0,1e-300'"));
    c.add(
        new Case(
            "spec-key-twice",
            "in.csv",
            good,
            args("segment-effects", "--spec", "{dir}/job.yaml"),
            new Refusal("duplicate key"),
            Map.of("job.yaml", bytes("input: in.csv\noutput: out\nmetric: y\nmetric: x\n"))));
    c.add(
        new Case(
            "spec-key-without-value",
            "in.csv",
            good,
            args("segment-effects", "--spec", "{dir}/job.yaml"),
            new Refusal("key 'threshold' has no value"),
            Map.of("job.yaml", bytes("input: in.csv\noutput: out\nmetric: y\nthreshold:\n"))));
    c.add(
        refuse(
            "input-missing",
            good,
            args(
                "segment-effects",
                "--input",
                "{dir}/nope.csv",
                "--output",
                "{out}",
                "--metric",
                "y"),
            "input not found"));

    // -- Terminal and files
    c.add(
        ok(
            "ansi-escape-in-id",
            csv(HEADER, with(units(1, 3, 20, a -> a), unitsAs("\u001b[2Jevil", "s0", 20))),
            run(),
            160,
            NONE,
            r ->
                assertFalse(
                    r.stdout().contains("\u001b") || r.stderr().contains("\u001b"),
                    "no escape reaches the terminal")));
    c.add(
        ok(
            "nul-byte-in-id",
            csv(HEADER, with(units(1, 3, 20, a -> a), unitsAs("nul\u0000id", "s0", 20))),
            run(),
            160,
            NONE,
            r -> {
              assertFalse(r.stdout().contains("\u0000"));
              assertFalse(
                  r.memosAndPagesContain("\u0000") || r.memosAndPagesContain("\u001b"),
                  "no NUL in memos or pages");
            }));
    return c;
  }

  /** Segments 'café' and 'cafè' written in Latin-1, and 'x'. */
  private static byte[] latin1() {
    List<String> rows = new ArrayList<>();
    for (String seg : new String[] {"café", "cafè", "x", "x"}) {
      for (int i = 0; i < 40; i++) {
        rows.add("e0," + seg + "," + (i % 2) + "," + (1 + 0.1 * (i % 7) + 0.2 * (i % 2)));
      }
    }
    return csvText(HEADER, rows, "\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Each row with a unit id that repeats across experiments but not within one. */
  private static List<String> withUnits(List<String> rows) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",");
      out.add(f[0] + "," + f[1] + ",u" + (i % 120) + "," + f[2] + "," + f[3]);
    }
    return out;
  }

  /**
   * One experiment whose first segment's metric barely varies (sd 1e-9), beside three normal ones.
   */
  private static List<String> nearConstant() {
    Random r = new Random(7);
    double[] d = {0.5, 0.1, -0.3, 1.0};
    double[] sd = {1e-9, 1, 1, 1};
    List<String> out = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      for (int i = 0; i < 40; i++) {
        int a = i % 2;
        out.add("e0,s" + s + "," + a + "," + (10 + d[s] * a + sd[s] * r.nextGaussian()));
      }
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] gzip(byte[] b) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(b);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> map(List<String> rows, UnaryOperator<String> f) {
    List<String> out = new ArrayList<>();
    for (String r : rows) {
      out.add(f.apply(r));
    }
    return out;
  }

  private static List<String> semi(List<String> rows) {
    return map(rows, r -> r.replace(',', ';'));
  }

  /** A European export: decimal commas in the values of semicolon-separated rows. */
  private static List<String> decimalCommas(List<String> rows) {
    return map(rows, r -> r.replace('.', ','));
  }

  private static List<String> tabs(List<String> rows) {
    return map(rows, r -> r.replace(',', '\t'));
  }

  private static List<String> addColumn(List<String> rows) {
    return map(
        rows,
        r -> {
          String[] f = r.split(",");
          return f[0] + "," + f[1] + "," + f[2] + "," + f[2] + "," + f[3];
        });
  }

  private static List<String> swapFirstTwo(List<String> rows) {
    return map(
        rows,
        r -> {
          String[] f = r.split(",");
          return f[1] + "," + f[0] + "," + f[2] + "," + f[3];
        });
  }

  private static List<String> dropSegment(List<String> rows) {
    return map(
        rows,
        r -> {
          String[] f = r.split(",");
          return f[0] + "," + f[2] + "," + f[3];
        });
  }

  private static List<String> indexed(List<String> rows) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(i + "," + rows.get(i));
    }
    return out;
  }

  private static List<String> unitsAs(String experiment, String segment, int perArm) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2 * perArm; i++) {
      out.add("\"" + experiment + "\"," + segment + "," + (i % 2) + "," + (1 + 0.1 * (i % 7)));
    }
    return out;
  }

  private static List<String> unitsIn(String segment, int perArm) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2 * perArm; i++) {
      out.add("e0," + segment + "," + (i % 2) + "," + (1 + 0.1 * (i % 5)));
    }
    return out;
  }

  private static List<String> allControl(String experiment, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(experiment + ",s" + (i % 3) + ",0," + (1 + 0.1 * (i % 4)));
    }
    return out;
  }

  private static List<String> allTreated(String experiment, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(experiment + ",s" + (i % 3) + ",1," + (1 + 0.1 * (i % 4)));
    }
    return out;
  }

  private static List<String> binary(List<String> rows, String bad) {
    List<String> out =
        map(
            rows,
            r -> {
              String[] f = r.split(",");
              return f[0]
                  + ","
                  + f[1]
                  + ","
                  + f[2]
                  + ","
                  + (Double.parseDouble(f[3]) > 1.1 ? "1" : "0");
            });
    out.add("e0,s0,1," + bad);
    return out;
  }

  private static List<String> binaryFloats(List<String> rows) {
    return map(
        rows,
        r -> {
          String[] f = r.split(",");
          return f[0]
              + ","
              + f[1]
              + ","
              + f[2]
              + ","
              + (Double.parseDouble(f[3]) > 1.1 ? "1.0" : "0.0");
        });
  }

  /** The experiment ids of a set of rows (for checks). */
  static Set<String> ids(List<String> values) {
    return new TreeSet<>(values);
  }
}
