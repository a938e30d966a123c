package io.segfx.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * An {@link OutputFile} whose Parquet footer lists each column chunk's encodings in one order, so
 * that the same rows give the same bytes in every run. parquet-mr collects a chunk's encodings in a
 * {@code HashSet} of enum constants, whose iteration order follows identity hash codes that differ
 * from one JVM run to the next: the same table came out with its encodings as (0, 6) in one run and
 * (6, 0) in the next, the file otherwise identical.
 *
 * <p>The stream holds back the last {@link #TAIL} bytes written. The footer is the end of the file
 * (footer, its 4-byte little-endian length, {@code PAR1}); at close the footer is decoded, each
 * chunk's encodings and encoding statistics are sorted by their Thrift values, and it is encoded
 * again. Reordering a list of one-byte enum values leaves its length unchanged, so every offset in
 * the file stays valid; if the length changed or the footer is longer than the held-back tail, the
 * footer is written as parquet-mr made it.
 */
final class CanonicalFooter implements OutputFile {
  /** Bytes held back: a footer of a few thousand column chunks fits. */
  static final int TAIL = 1 << 22;

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final OutputFile inner;

  CanonicalFooter(OutputFile inner) {
    this.inner = inner;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return new Tail(inner.create(blockSizeHint));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return new Tail(inner.createOrOverwrite(blockSizeHint));
  }

  @Override
  public boolean supportsBlockSize() {
    return inner.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return inner.defaultBlockSize();
  }

  /**
   * The footer bytes {@code footer} with each column chunk's encodings and encoding statistics in
   * ascending order of their values; {@code footer} itself when that would change its length.
   */
  static byte[] canonical(byte[] footer) throws IOException {
    FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(footer));
    for (RowGroup rg : md.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        ColumnMetaData m = cc.getMeta_data();
        if (m == null) {
          continue;
        }
        List<Encoding> encodings = new ArrayList<>(m.getEncodings());
        encodings.sort(Comparator.comparingInt(Encoding::getValue));
        m.setEncodings(encodings);
        if (m.isSetEncoding_stats()) {
          List<PageEncodingStats> stats = new ArrayList<>(m.getEncoding_stats());
          stats.sort(
              Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                  .thenComparingInt(s -> s.getEncoding().getValue()));
          m.setEncoding_stats(stats);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(footer.length);
    Util.writeFileMetaData(md, out);
    byte[] sorted = out.toByteArray();
    return sorted.length == footer.length ? sorted : footer;
  }

  /** A stream that writes through all but its last {@link #TAIL} bytes until it is closed. */
  private static final class Tail extends PositionOutputStream {
    private final PositionOutputStream out;
    private final byte[] tail = new byte[TAIL];
    private int held;
    private long pos;

    Tail(PositionOutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      if (held == TAIL) {
        release(TAIL / 2);
      }
      tail[held++] = (byte) b;
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      pos += len;
      if (len >= TAIL) {
        out.write(tail, 0, held);
        held = 0;
        out.write(b, off, len - TAIL);
        System.arraycopy(b, off + len - TAIL, tail, 0, TAIL);
        held = TAIL;
        return;
      }
      if (held + len > TAIL) {
        release(held + len - TAIL);
      }
      System.arraycopy(b, off, tail, held, len);
      held += len;
    }

    /** Writes the oldest {@code n} held bytes. */
    private void release(int n) throws IOException {
      out.write(tail, 0, n);
      System.arraycopy(tail, n, tail, 0, held - n);
      held -= n;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      try {
        canonicaliseHeldFooter();
        out.write(tail, 0, held);
        held = 0;
      } finally {
        out.close();
      }
    }

    private void canonicaliseHeldFooter() throws IOException {
      if (held < 12 || !Arrays.equals(tail, held - 4, held, MAGIC, 0, 4)) {
        return;
      }
      int length =
          (tail[held - 8] & 0xff)
              | (tail[held - 7] & 0xff) << 8
              | (tail[held - 6] & 0xff) << 16
              | (tail[held - 5] & 0xff) << 24;
      int start = held - 8 - length;
      if (length <= 0 || start < 0) {
        return;
      }
      byte[] footer = Arrays.copyOfRange(tail, start, start + length);
      System.arraycopy(canonical(footer), 0, tail, start, length);
    }
  }
}
