package io.tributary.hadoop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** One in-JVM HDFS (a name node and a data node on 127.0.0.1) shared by the tests of this module. */
final class MiniHdfs {
  private static MiniDFSCluster cluster;

  private MiniHdfs() {}

  /** Starts the cluster on first use (about 10 s); it stops when the test JVM exits. */
  static synchronized MiniDFSCluster cluster() {
    if (cluster == null) {
      try {
        File base = Files.createTempDirectory("tributary-minidfs").toFile();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        MiniDFSCluster started = cluster;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.shutdown(true)));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the mini HDFS cluster", e);
      }
    }
    return cluster;
  }

  /** {@code hdfs://127.0.0.1:port} plus {@code path}. */
  static String uri(String path) {
    return cluster().getURI().toString() + path;
  }

  static FileSystem fileSystem() {
    try {
      return cluster().getFileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
