package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.testing.Fixtures;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job from hdfs:// input to hdfs:// output on an in-process HDFS (Hadoop's MiniDFSCluster, the
 * version of Spark's Hadoop client), with tables identical to the same run on the local file
 * system.
 */
class HdfsRunTest extends SharedSparkSession {
  @TempDir Path tmp;
  private MiniDFSCluster hdfs;

  @BeforeEach
  void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
  }

  @AfterEach
  void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown(true);
    }
  }

  @Test
  void hdfsInputToHdfsOutput() throws Exception {
    String root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    FileSystem fs = hdfs.getFileSystem();
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(Fixtures.path("seed_section9_segments.csv").toString()),
        new org.apache.hadoop.fs.Path(root + "/in/units.csv"));
    String[] common = {
      "--arm-col", "A", "--metric", "Y", "--covariates", "baseline", "--draws", "2000"
    };
    String hdfsOut = root + "/out/run1";
    String localOut = tmp.resolve("local-out").toString();
    JobRunner.run(
        spark(),
        concat(new String[] {"--input", root + "/in/units.csv", "--output", hdfsOut}, common));
    JobRunner.run(
        spark(),
        concat(
            new String[] {
              "--input",
              Fixtures.path("seed_section9_segments.csv").toString(),
              "--output",
              localOut
            },
            common));
    Assertions.assertTrue(fs.exists(new org.apache.hadoop.fs.Path(hdfsOut + "/manifest.json")));
    Assertions.assertTrue(fs.exists(new org.apache.hadoop.fs.Path(hdfsOut + "/_SUCCESS")));
    for (String t :
        List.of(
            OutputTables.SEGMENT_ESTIMATES,
            OutputTables.EXPERIMENT_POOLING,
            OutputTables.EXPERIMENT_DECISIONS)) {
      assertEquals(JobRunner.rows(spark(), localOut, t), JobRunner.rows(spark(), hdfsOut, t), t);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
