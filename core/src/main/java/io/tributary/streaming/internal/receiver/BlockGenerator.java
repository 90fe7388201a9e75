package io.tributary.streaming.internal.receiver;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers single records stored by a receiver and turns the buffer into a block every block
 * interval. Blocks wait in a bounded queue ({@code streaming.blockQueueSize}) for a pushing thread
 * that stores them; when storage falls behind, the queue fills and cutting waits, which in turn
 * makes the buffer the only place records pile up. Stopping cuts and pushes everything buffered.
 */
final class BlockGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(BlockGenerator.class);
  private static final Object[] END = new Object[0];

  private final String name;
  private final long intervalMs;
  private final Consumer<Object[]> push;
  private final ArrayBlockingQueue<Object[]> queue;
  private ArrayList<Object> buffer = new ArrayList<>();
  private volatile boolean accepting;
  private volatile boolean cutting;
  private Thread cutter;
  private Thread pusher;

  BlockGenerator(String name, long intervalMs, int queueSize, Consumer<Object[]> push) {
    this.name = name;
    this.intervalMs = intervalMs;
    this.push = push;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
  }

  void start() {
    accepting = true;
    cutting = true;
    cutter = new Thread(this::cutLoop, name + "-block-cutter");
    pusher = new Thread(this::pushLoop, name + "-block-pusher");
    cutter.setDaemon(true);
    pusher.setDaemon(true);
    cutter.start();
    pusher.start();
  }

  void add(Object record) {
    synchronized (this) {
      if (!accepting) {
        throw new IllegalStateException(
            "Cannot store a record in " + name + ": the receiver was stopped. Receiving threads "
                + "should end once isStopped() is true");
      }
      buffer.add(record);
    }
  }

  /** Stops accepting, cuts the last block, and returns once every block was pushed. */
  void stop() {
    synchronized (this) {
      accepting = false;
    }
    cutting = false;
    join(cutter);
    try {
      cut();
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    join(pusher);
  }

  private void cutLoop() {
    try {
      long next = System.currentTimeMillis() + intervalMs;
      while (cutting) {
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(Math.min(wait, 50));
          continue;
        }
        next += intervalMs;
        cut();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cut() throws InterruptedException {
    ArrayList<Object> full;
    synchronized (this) {
      if (buffer.isEmpty()) {
        return;
      }
      full = buffer;
      buffer = new ArrayList<>(Math.max(16, full.size()));
    }
    queue.put(full.toArray());
  }

  private void pushLoop() {
    try {
      while (true) {
        Object[] block = queue.poll(100, TimeUnit.MILLISECONDS);
        if (block == END) {
          return;
        }
        if (block != null) {
          try {
            push.accept(block);
          } catch (RuntimeException e) {
            LOG.error("{}: could not store a block of {} records", name, block.length, e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
