package io.tributary.hadoop;

import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FsOutputStream;
import io.tributary.fs.RandomAccessInput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

/**
 * Tributary's file operations on Hadoop FileSystems, for one configuration: {@code hflush}/{@code
 * hsync} map to Hadoop's own (on HDFS: the data reached every datanode of the pipeline / their
 * disks). Each scheme and authority gets its own Hadoop FileSystem instance made with this
 * configuration (not Hadoop's JVM-wide cache, where the first configuration to open a file system
 * would win for every context).
 */
final class HadoopFileSystem implements FileSystem {
  private final Configuration conf;
  private final Map<URI, org.apache.hadoop.fs.FileSystem> instances = new ConcurrentHashMap<>();

  HadoopFileSystem(Configuration conf) {
    this.conf = conf;
  }

  private org.apache.hadoop.fs.FileSystem fs(Path path) throws IOException {
    URI uri = path.toUri();
    URI key = URI.create((uri.getScheme() == null ? "" : uri.getScheme() + ":")
        + "//" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + "/");
    org.apache.hadoop.fs.FileSystem fs = instances.get(key);
    if (fs == null) {
      synchronized (instances) {
        fs = instances.get(key);
        if (fs == null) {
          fs = org.apache.hadoop.fs.FileSystem.newInstance(path.toUri(), conf);
          instances.put(key, fs);
        }
      }
    }
    return fs;
  }

  private static FileStatus statusOf(org.apache.hadoop.fs.FileStatus s) {
    return new FileStatus(s.getPath().toString(), s.isDirectory(), s.isDirectory() ? 0 : s.getLen(),
        s.getModificationTime());
  }

  @Override
  public String qualify(String path) throws IOException {
    Path p = new Path(path);
    return fs(p).makeQualified(p).toString();
  }

  @Override
  public String child(String directory, String name) {
    return new Path(new Path(directory), name).toString();
  }

  @Override
  public FileStatus status(String path) throws IOException {
    Path p = new Path(path);
    return statusOf(fs(p).getFileStatus(p));
  }

  @Override
  public boolean exists(String path) throws IOException {
    Path p = new Path(path);
    return fs(p).exists(p);
  }

  @Override
  public List<FileStatus> list(String directory) throws IOException {
    Path p = new Path(directory);
    List<FileStatus> entries = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus s : fs(p).listStatus(p)) {
      entries.add(statusOf(s));
    }
    return entries;
  }

  @Override
  public InputStream open(String path) throws IOException {
    Path p = new Path(path);
    return fs(p).open(p);
  }

  @Override
  public RandomAccessInput openRandomAccess(String path) throws IOException {
    Path p = new Path(path);
    org.apache.hadoop.fs.FileSystem fs = fs(p);
    long length = fs.getFileStatus(p).getLen();
    FSDataInputStream in = fs.open(p);
    return new RandomAccessInput() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        in.readFully(position, buffer, offset, len);
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  @Override
  public FsOutputStream create(String path, boolean overwrite) throws IOException {
    Path p = new Path(path);
    FSDataOutputStream out = fs(p).create(p, overwrite);
    return new FsOutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public long position() {
        return out.getPos();
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void hflush() throws IOException {
        out.hflush();
      }

      @Override
      public void hsync() throws IOException {
        out.hsync();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  @Override
  public boolean delete(String path, boolean recursive) throws IOException {
    Path p = new Path(path);
    return fs(p).delete(p, recursive);
  }

  @Override
  public void mkdirs(String path) throws IOException {
    Path p = new Path(path);
    if (!fs(p).mkdirs(p)) {
      throw new IOException("Cannot create directory " + path);
    }
  }

  @Override
  public boolean rename(String from, String to) throws IOException {
    Path source = new Path(from);
    return fs(source).rename(source, new Path(to));
  }
}
