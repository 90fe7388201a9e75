package io.tributary.internal.fs;

import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FsOutputStream;
import io.tributary.fs.RandomAccessInput;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local paths with java.nio alone: {@code /a/b}, {@code a/b} (relative to the working directory),
 * {@code file:/a/b}, {@code file:///a/b}. Qualified paths are {@code file:} plus the absolute path,
 * as Hadoop's local file system wrote them, so checkpoints and logs written before stay readable.
 * {@link FsOutputStream#hflush} writes to the operating system; {@link FsOutputStream#hsync} also
 * forces the file to the device ({@code fsync}).
 */
public final class LocalFileSystem implements FileSystem {
  static final LocalFileSystem INSTANCE = new LocalFileSystem();
  private static final String SCHEME = "file:";

  private LocalFileSystem() {}

  /** The local path of {@code path}, which has no scheme or {@code file:}. */
  static Path toPath(String path) {
    String p = path;
    if (p.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      p = p.substring(SCHEME.length());
      if (p.startsWith("//")) {
        int slash = p.indexOf('/', 2);
        String authority = slash < 0 ? p.substring(2) : p.substring(2, slash);
        if (!authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
          throw new IllegalArgumentException("Local path '" + path + "' names host '" + authority
              + "': a file: URI names no host (write file:/dir or file:///dir)");
        }
        p = slash < 0 ? "/" : p.substring(slash);
      }
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException("Empty local path '" + path + "'");
    }
    return Path.of(p);
  }

  private static String qualified(Path path) {
    return SCHEME + path.toAbsolutePath().normalize();
  }

  @Override
  public String qualify(String path) {
    return qualified(toPath(path));
  }

  @Override
  public FileStatus status(String path) throws IOException {
    Path p = toPath(path);
    try {
      return statusOf(p, Files.readAttributes(p, BasicFileAttributes.class));
    } catch (NoSuchFileException e) {
      throw notFound(path, e);
    }
  }

  private static FileStatus statusOf(Path p, BasicFileAttributes attrs) {
    return new FileStatus(qualified(p), attrs.isDirectory(), attrs.isDirectory() ? 0 : attrs.size(),
        attrs.lastModifiedTime().toMillis());
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(toPath(path));
  }

  @Override
  public List<FileStatus> list(String directory) throws IOException {
    Path dir = toPath(directory);
    List<FileStatus> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        try {
          entries.add(statusOf(child, Files.readAttributes(child, BasicFileAttributes.class)));
        } catch (NoSuchFileException gone) {
          // deleted while listing: not there any more
        }
      }
    } catch (NoSuchFileException e) {
      throw notFound(directory, e);
    }
    return entries;
  }

  @Override
  public InputStream open(String path) throws IOException {
    try {
      return Files.newInputStream(toPath(path));
    } catch (NoSuchFileException e) {
      throw notFound(path, e);
    }
  }

  @Override
  public RandomAccessInput openRandomAccess(String path) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(toPath(path), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw notFound(path, e);
    }
    long length = channel.size();
    return new RandomAccessInput() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        ByteBuffer into = ByteBuffer.wrap(buffer, offset, len);
        long at = position;
        while (into.hasRemaining()) {
          int n = channel.read(into, at);
          if (n < 0) {
            throw new EOFException("End of " + path + " at offset " + at + ", " + into.remaining()
                + " byte(s) short of what was to be read at " + position);
          }
          at += n;
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public FsOutputStream create(String path, boolean overwrite) throws IOException {
    Path p = toPath(path);
    Path parent = p.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel channel = overwrite
        ? FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)
        : FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    return new ChannelOutput(channel);
  }

  @Override
  public void writeAtomically(String path, byte[] contents) throws IOException {
    Path target = toPath(path);
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
    try {
      try (FsOutputStream out = create(temp.toString(), false)) {
        out.write(contents);
        out.hsync();
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public boolean delete(String path, boolean recursive) throws IOException {
    Path p = toPath(path);
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (recursive && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> tree = Files.walk(p)) {
        for (Path each : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(each);
        }
      }
      return true;
    }
    return Files.deleteIfExists(p);
  }

  @Override
  public void mkdirs(String path) throws IOException {
    Files.createDirectories(toPath(path));
  }

  @Override
  public boolean rename(String from, String to) throws IOException {
    Path target = toPath(to);
    if (Files.exists(target)) {
      return false;
    }
    try {
      Files.move(toPath(from), target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException | FileAlreadyExistsException e) {
      return false;
    }
  }

  private static FileNotFoundException notFound(String path, NoSuchFileException cause) {
    FileNotFoundException e = new FileNotFoundException("File " + path + " does not exist");
    e.initCause(cause);
    return e;
  }

  /** A buffered file channel; hflush empties the buffer into the file, hsync also forces it. */
  private static final class ChannelOutput extends FsOutputStream {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long written;
    private boolean closed;

    ChannelOutput(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      if (!buffer.hasRemaining()) {
        drain();
      }
      buffer.put((byte) b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len >= buffer.capacity()) {
        drain();
        ByteBuffer direct = ByteBuffer.wrap(b, off, len);
        while (direct.hasRemaining()) {
          channel.write(direct);
        }
      } else {
        if (len > buffer.remaining()) {
          drain();
        }
        buffer.put(b, off, len);
      }
      written += len;
    }

    private void drain() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }

    @Override
    public long position() {
      return written;
    }

    @Override
    public void flush() throws IOException {
      drain();
    }

    @Override
    public void hflush() throws IOException {
      drain();
    }

    @Override
    public void hsync() throws IOException {
      drain();
      channel.force(true);
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        drain();
      } finally {
        channel.close();
      }
    }
  }
}
