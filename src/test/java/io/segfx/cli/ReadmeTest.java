package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README is a user's guide (CONTRIBUTING, comments and documentation): at most 15,000 bytes,
 * opening with the two commands that work on a fresh machine, and every relative link pointing at a
 * file that exists.
 */
class ReadmeTest {
  private static final Path README = Path.of("README.md");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)#]+)(#[^)]*)?\\)");

  @Test
  void isAtMostFifteenThousandBytes() throws IOException {
    long size = Files.size(README);
    assertTrue(size <= 15_000, "README.md is " + size + " bytes; the limit is 15,000");
  }

  @Test
  void opensWithTheExampleRunAndTheTests() throws IOException {
    String text = Files.readString(README);
    int fence = text.indexOf("```bash\n");
    assertTrue(fence > 0, "no bash block in README.md");
    String[] lines = text.substring(fence + 8).split("\n", 3);
    assertTrue(lines[0].startsWith("scripts/segfx example "), lines[0]);
    assertTrue(lines[1].startsWith("mvn -B verify "), lines[1]);
  }

  @Test
  void relativeLinksPointAtFiles() throws IOException {
    Matcher m = LINK.matcher(Files.readString(README));
    List<String> missing = new ArrayList<>();
    int links = 0;
    while (m.find()) {
      String target = m.group(1);
      if (target.contains("://")) {
        continue;
      }
      links++;
      if (!Files.exists(Path.of(target))) {
        missing.add(target);
      }
    }
    assertTrue(links >= 10, "expected the README's links to docs/, found " + links);
    assertEquals(List.of(), missing, "README links to files that do not exist");
  }
}
