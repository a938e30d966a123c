package io.segfx.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The licences of everything the shaded jar bundles. The license-maven-plugin writes them (compile
 * scope, the scope the shade plugin bundles) to {@code target/generated-sources/license/
 * THIRD-PARTY.txt} before the tests run, and fails the build on a GPL licence it knows by name;
 * this test fails on any GPL by pattern, allows LGPL only for JFreeChart, checks that the licence
 * texts the shaded jar replaces by ours are in ours, and keeps docs/licences.md equal to the list
 * (regenerate with {@code -Dsegfx.licences.update=true}).
 */
class LicencesTest {
  private static final Path ROOT = Path.of(System.getProperty("segfx.project.dir", "."));
  private static final Path THIRD_PARTY =
      ROOT.resolve("target/generated-sources/license/THIRD-PARTY.txt");
  private static final Path DOC = ROOT.resolve("docs/licences.md");

  /** {@code (Licence) Name (group:artifact:version - url)}, one dependency a line. */
  private static final Pattern LINE =
      Pattern.compile("^\\s+\\((.+?)\\) (.+) \\(([^:\\s]+):([^:\\s]+):([^\\s]+) - (\\S*)\\)$");

  private static final Set<String> PERMISSIVE = Set.of("Apache-2.0");

  /** LGPL, allowed by name: its text ships in the jar as META-INF/LICENSE-LGPL-2.1.txt. */
  private static final Map<String, String> LGPL = Map.of("org.jfree:jfreechart", "LGPL-2.1");

  record Dep(String licence, String name, String group, String artifact, String version) {
    String ga() {
      return group + ":" + artifact;
    }
  }

  static List<Dep> deps() throws IOException {
    assertTrue(Files.exists(THIRD_PARTY), THIRD_PARTY + " is written by license-maven-plugin");
    List<Dep> out = new ArrayList<>();
    for (String l : Files.readAllLines(THIRD_PARTY, StandardCharsets.UTF_8)) {
      Dep d = parse(l);
      if (d != null) {
        out.add(d);
      } else {
        assertTrue(l.isBlank() || l.startsWith("Lists of"), "unparsed line: " + l);
      }
    }
    return out;
  }

  private static final Pattern GPL = Pattern.compile("(?i)\\b(A?GPL|General Public Licen[cs]e)");
  private static final Pattern LESSER = Pattern.compile("(?i)\\b(LGPL|Lesser General Public)");

  /** Why {@code d} may not be bundled, or null when it may. */
  static String violation(Dep d) {
    for (String licence : d.licence().split("\\) \\(")) {
      boolean lgpl = LESSER.matcher(licence).find();
      if (GPL.matcher(licence).find() && !lgpl) {
        return d.ga() + " is under GPL: " + licence;
      }
      if (lgpl ? !licence.equals(LGPL.get(d.ga())) : !PERMISSIVE.contains(licence)) {
        return d.ga() + ": " + licence + " is not allowed (LGPL only by name)";
      }
    }
    return null;
  }

  static Dep parse(String line) {
    Matcher m = LINE.matcher(line);
    return m.matches() ? new Dep(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)) : null;
  }

  @Test
  void everyBundledDependencyIsPermissiveOrNamedLgpl() throws IOException {
    List<Dep> deps = deps();
    assertTrue(deps.size() >= 10, "the jar bundles Commons, Batik, JFreeChart...: " + deps);
    for (Dep d : deps) {
      assertEquals(null, violation(d));
    }
  }

  /** The check itself: the GPL JFreeSVG this jar shipped, and LGPL on another artifact, fail. */
  @Test
  void gplAndUnnamedLgplAreRejected() {
    Dep svg =
        parse(
            "     (GNU General Public License (GPL)) JFreeSVG (org.jfree:org.jfree.svg:5.0.6 -"
                + " http://www.jfree.org/jfreesvg)");
    assertTrue(violation(svg).contains("is under GPL"), String.valueOf(violation(svg)));
    Dep other = parse("     (LGPL-2.1) Other (org.example:other:1.0 - https://example.org)");
    assertTrue(violation(other).contains("not allowed"), String.valueOf(violation(other)));
    Dep gpl3 = parse("     (GPL-3.0) G (org.example:g:1.0 - https://example.org)");
    assertTrue(violation(gpl3).contains("is under GPL"));
    Dep chart =
        parse("     (LGPL-2.1) JFreeChart (org.jfree:jfreechart:1.5.6 - https://jfree.org)");
    assertEquals(null, violation(chart));
  }

  @Test
  void lgplTextAndSubcomponentTermsAreInOurLicenceFiles() throws IOException {
    String lgpl = Files.readString(ROOT.resolve("licenses/LGPL-2.1.txt"));
    assertTrue(lgpl.contains("GNU LESSER GENERAL PUBLIC LICENSE") && lgpl.contains("Version 2.1"));
    String ours = squash(Files.readString(ROOT.resolve("LICENSE")));
    assertTrue(ours.contains("JFreeChart") && ours.contains("LGPL-2.1.txt"));
    // The shade plugin drops the bundled components' LICENSE files for ours: whatever they add to
    // the Apache License (Commons RNG's Mersenne Twister, Commons Numbers' Boost terms) must be
    // in ours.
    int checked = 0;
    for (Dep d : deps()) {
      Path jar = jarOf(d);
      try (ZipFile z = new ZipFile(jar.toFile())) {
        for (String name : List.of("META-INF/LICENSE", "META-INF/LICENSE.txt")) {
          ZipEntry e = z.getEntry(name);
          if (e == null) {
            continue;
          }
          String text;
          try (InputStream in = z.getInputStream(e)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          int end = text.indexOf("limitations under the License.");
          assertTrue(end > 0, jar + " " + name + " is not the Apache License");
          String extra = squash(text.substring(end + "limitations under the License.".length()));
          assertTrue(ours.contains(extra), jar + " adds terms that LICENSE lacks");
          checked++;
        }
      }
    }
    assertTrue(checked >= 10, "licence files checked: " + checked);
  }

  @Test
  void docsListTheBundledLicences() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# Licences of the shaded jar\n\n")
        .append("Generated by LicencesTest from license-maven-plugin's THIRD-PARTY.txt")
        .append(" (`mvn -B -q -o test -Dtest=LicencesTest -Dsegfx.licences.update=true`).\n")
        .append("segfx is Apache-2.0 (LICENSE, NOTICE). The jar bundles the compile-scope")
        .append(" dependencies below; Spark, Jackson and Commons Math are `provided`, the")
        .append(" cluster's.\n\n| licence | dependency | version |\n| --- | --- | --- |\n");
    Map<String, Dep> sorted = new TreeMap<>();
    for (Dep d : deps()) {
      sorted.put(d.ga(), d);
    }
    for (Dep d : sorted.values()) {
      b.append("| ")
          .append(d.licence())
          .append(" | ")
          .append(d.ga())
          .append(" | ")
          .append(d.version())
          .append(" |\n");
    }
    String want = b.toString();
    if (Boolean.getBoolean("segfx.licences.update")) {
      Files.writeString(DOC, want);
    }
    assertEquals(want, Files.exists(DOC) ? Files.readString(DOC) : "", "docs/licences.md");
  }

  private static Path jarOf(Dep d) {
    String file = d.artifact() + "-" + d.version() + ".jar";
    for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (p.endsWith(java.io.File.separator + file)) {
        return Path.of(p);
      }
    }
    throw new AssertionError(file + " is not on the test classpath");
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
