package io.segfx.bench;

import io.segfx.cli.SegfxMain;

/**
 * {@code scripts/segfx <command> ...} in a JVM of the bench's own: {@link SegfxMain#run}, then the
 * process's peaks ({@link ProcessPeaks}). Exits as {@code SegfxMain.main} does.
 */
public final class SegfxCommand {
  private SegfxCommand() {}

  public static void main(String[] args) {
    int code = SegfxMain.run(args, System.out, System.err);
    System.out.println(ProcessPeaks.line());
    if (code != 0) {
      System.exit(code);
    }
  }
}
