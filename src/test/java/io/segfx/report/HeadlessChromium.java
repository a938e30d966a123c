package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders report pages with a headless Chromium for the report tests: the browser must exit 0 and
 * log no console message (the pages load nothing and run at most their own hashed script, so any
 * message is a blocked resource, a policy violation or a parse error).
 */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** The browser on the PATH; aborts the test where there is none, except under CI. */
  public static String require() {
    for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String dir :
          System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    Assertions.assertNotEquals(
        "true", System.getenv("CI"), "CI must install chromium (see .ci/run)");
    Assumptions.abort("chromium is not installed");
    return null;
  }

  /**
   * A screenshot of {@code page} in a window of {@code width} × {@code height}, taken with a fresh
   * profile under {@code work}; asserts the exit status, the console and the image's width.
   */
  public static BufferedImage screenshot(
      String chromium, Path page, Path work, String name, int width, int height) throws Exception {
    Path shot = work.resolve(name + ".png");
    Path log = work.resolve(name + ".log");
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    Process p =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=" + width + "," + height,
                "--screenshot=" + shot,
                page.toUri().toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(log.toFile())
            .start();
    Assertions.assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    String stderr = Files.readString(log);
    assertEquals(0, p.exitValue(), stderr);
    for (String line : stderr.split("\n")) {
      Assertions.assertFalse(line.contains(":CONSOLE"), "console message: " + line);
    }
    BufferedImage img = ImageIO.read(shot.toFile());
    Assertions.assertNotNull(img, "a PNG screenshot");
    assertEquals(width, img.getWidth());
    return img;
  }
}
