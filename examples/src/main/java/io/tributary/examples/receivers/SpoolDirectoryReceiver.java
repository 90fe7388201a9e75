package io.tributary.examples.receivers;

import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A reliable receiver: reads the text files that appear in a spool directory, stores each file's
 * lines as one block, and only after that store returned moves the file into {@code done/} (its
 * acknowledgement). A crash between the two leaves the file in place, so it is stored again after a
 * restart: at least once, nothing acknowledged lost (with the write-ahead log on, a stored block
 * survives the crash too). Files are taken in name order; write them elsewhere and move them in, so
 * the receiver never sees half a file. A file that is not UTF-8 is moved to {@code bad/} and
 * reported; the receiver goes on with the next one.
 */
public final class SpoolDirectoryReceiver extends Receiver<String> {
  private final String directory;
  private final long pollMillis;
  private transient Thread thread;

  /** Watches {@code directory} (which must exist), looking for new files every {@code pollMillis}. */
  public SpoolDirectoryReceiver(Path directory, long pollMillis) {
    super(StorageLevel.MEMORY_AND_DISK_SER);
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("Spool directory " + directory + " does not exist: create it first");
    }
    if (pollMillis <= 0) {
      throw new IllegalArgumentException("pollMillis must be positive, got " + pollMillis);
    }
    this.directory = directory.toAbsolutePath().toString();
    this.pollMillis = pollMillis;
  }

  @Override
  public void onStart() {
    thread = new Thread(this::receive, "spool-receiver-" + streamId());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void onStop() {
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void receive() {
    Path spool = Path.of(directory);
    try {
      Files.createDirectories(spool.resolve("done"));
      Files.createDirectories(spool.resolve("bad"));
      while (!isStopped()) {
        for (Path file : readyFiles(spool)) {
          if (isStopped()) {
            return;
          }
          List<String> lines;
          try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          } catch (MalformedInputException e) {
            move(file, spool.resolve("bad"));
            reportError("Spool file " + file.getFileName() + " is not UTF-8 text: moved to bad/", e);
            continue;
          }
          store(lines);                      // returns once the block is stored (and logged)
          move(file, spool.resolve("done")); // the acknowledgement: only after the store
        }
        Thread.sleep(pollMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    } catch (IOException | UncheckedIOException e) {
      restart("Cannot read spool directory " + directory, e);
    } catch (RuntimeException e) {
      if (!isStopped()) {
        restart("Storing a spool file failed; it stays in place and is read again", e);
      }
    }
  }

  private static List<Path> readyFiles(Path spool) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(spool, Files::isRegularFile)) {
      entries.forEach(files::add);
    }
    files.removeIf(f -> f.getFileName().toString().startsWith("."));
    files.sort(null);
    return files;
  }

  private static void move(Path file, Path into) throws IOException {
    Path target = into.resolve(file.getFileName());
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
