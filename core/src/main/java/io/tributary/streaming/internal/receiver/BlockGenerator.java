package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.internal.block.Block;
import io.tributary.streaming.internal.block.RecordBlock;
import io.tributary.streaming.internal.block.BlockStore;
import io.tributary.streaming.internal.block.TextBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers single records (and text lines as bytes, see {@link TextBlock}) stored by a receiver and
 * turns the buffer into a block every block interval: a {@link RecordBlock} of records, a
 * {@link TextBlock}, or one of each. {@link #flush} cuts a block at once, for a batch about to be
 * allocated. Blocks wait in a bounded queue ({@code streaming.blockQueueSize}) for a pushing
 * thread that stores them.
 *
 * <p>Memory stays bounded when storage falls behind: once {@code queueSize} blocks are cut and not
 * yet stored, {@link #add} waits while the buffer already holds a block's worth of records (as
 * many as the last block cut, at least 1), so the receiver's {@code store} blocks and its source
 * feels it. At most about {@code queueSize + 3} blocks of records are held (the queue, a block
 * waiting to enter it, the block being stored, the buffer). Stopping releases waiting adders (they
 * fail as stores after the stop do), then cuts and pushes everything buffered.
 *
 * <p>Each block carries the bytes its receiver {@linkplain BlockStore#reserve reserved} for its
 * records (given to {@link #add}; a text line's bytes are its size), handed to the pushing
 * consumer with the block so the store can settle them.
 */
final class BlockGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(BlockGenerator.class);
  private static final Cut END = new Cut(new RecordBlock(new Object[0]), 0);

  /** A block cut and the bytes reserved for it. */
  private record Cut(Block block, long reserved) {}

  private final String name;
  private final long intervalMs;
  private final ObjLongConsumer<Block> push;
  private final ArrayBlockingQueue<Cut> queue;
  private final int capacity;
  /** Blocks cut so far, counted as they are cut; with {@link #blocksPushed}, the blocks not yet stored. */
  private final AtomicLong blocksCut = new AtomicLong();
  private final AtomicLong blocksPushed = new AtomicLong();
  /** Records added and not yet stored. */
  private final AtomicLong unstoredRecords = new AtomicLong();
  private ArrayList<Object> buffer = new ArrayList<>();
  private long bufferReserved;
  private byte[] text = new byte[0];
  private int textLength;
  private int textLines;
  private int lastBlockSize = 1; // guarded by this
  /** Orders cuts, so blocks enter the queue in the order of their records. */
  private final ReentrantLock cutLock = new ReentrantLock();
  private volatile boolean accepting;
  private volatile boolean cutting;
  private Thread cutter;
  private Thread pusher;

  /** Cuts blocks every {@code intervalMs} and hands each, with its reserved bytes, to {@code push}. */
  BlockGenerator(String name, long intervalMs, int queueSize, ObjLongConsumer<Block> push) {
    this.name = name;
    this.intervalMs = intervalMs;
    this.push = push;
    this.capacity = Math.max(1, queueSize);
    this.queue = new ArrayBlockingQueue<>(capacity);
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

  /**
   * Buffers one record, for which {@code reservedBytes} were reserved; waits while storage is behind (see the class comment). The wait is not
   * interruptible (interrupts cannot bypass the bound); the interrupt status is kept. Fails when
   * the generator was stopped, also while waiting.
   */
  synchronized void add(Object record, long reservedBytes) {
    awaitRoom();
    buffer.add(record);
    bufferReserved += reservedBytes;
    unstoredRecords.incrementAndGet();
  }

  /** Buffers {@code lines} whole text lines, {@code b[from, to)} in UTF-8; waits as {@link #add} does. */
  synchronized void addText(byte[] b, int from, int to, int lines) {
    awaitRoom();
    int length = to - from;
    if (textLength + length > text.length) {
      text = Arrays.copyOf(text, Math.max(textLength + length, 2 * text.length));
    }
    System.arraycopy(b, from, text, textLength, length);
    textLength += length;
    textLines += lines;
    unstoredRecords.addAndGet(lines);
  }

  private void awaitRoom() {
    checkAccepting();
    boolean interrupted = false;
    while (unstoredBlocks() >= capacity && buffer.size() + textLines >= lastBlockSize) {
      try {
        wait(100);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      checkAccepting();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks cut and not yet stored (queued, waiting to be queued, or being pushed). */
  private long unstoredBlocks() {
    return blocksCut.get() - blocksPushed.get();
  }

  /** Records added and not yet stored: the buffer, the queue and the block being pushed. */
  long unstoredRecords() {
    return unstoredRecords.get();
  }

  private void checkAccepting() {
    if (!accepting) {
      throw new IllegalStateException(
          "Cannot store a record in " + name + ": the receiver was stopped. Receiving threads "
              + "should end once isStopped() is true");
    }
  }

  /** Stops accepting, cuts the last block, and returns once every block was pushed. */
  void stop() {
    synchronized (this) {
      accepting = false;
      notifyAll();
    }
    cutting = false;
    join(cutter);
    cutLock.lock();
    try {
      cutLocked();
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      cutLock.unlock();
    }
    join(pusher);
  }

  /**
   * Cuts what is buffered into a block now and waits until every block cut so far is stored, so
   * that a batch allocated next holds every record added before this call, without waiting for
   * the block interval. Gives up at {@code deadlineNanos} ({@link System#nanoTime()}) and never
   * waits on a full queue: when storage is behind, the rest goes to a later batch. Returns whether
   * everything was stored in time.
   */
  boolean flush(long deadlineNanos) throws InterruptedException {
    long target;
    if (!cutLock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return false;
    }
    try {
      if (queue.remainingCapacity() >= 2) { // a cut puts at most two blocks: it cannot wait
        cutLocked();
      }
      target = blocksCut.get();
    } finally {
      cutLock.unlock();
    }
    synchronized (this) {
      while (blocksPushed.get() < target) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    return true;
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
        cutLock.lockInterruptibly();
        try {
          cutLocked();
        } finally {
          cutLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cutLocked() throws InterruptedException {
    Cut records = null;
    Cut lines = null;
    int size = 0;
    synchronized (this) {
      if (!buffer.isEmpty()) {
        records = new Cut(new RecordBlock(buffer.toArray()), bufferReserved);
        size = buffer.size();
        buffer = new ArrayList<>(Math.max(16, size));
        bufferReserved = 0;
        blocksCut.incrementAndGet();
      }
      if (textLines > 0) {
        lines = new Cut(new TextBlock(Arrays.copyOf(text, textLength), textLines), textLength);
        size += textLines;
        if (text.length > 4 * textLength && text.length > 1 << 20) {
          text = new byte[Math.max(textLength, 1 << 16)]; // a burst does not keep its buffer
        }
        textLength = 0;
        textLines = 0;
        blocksCut.incrementAndGet();
      }
      if (records == null && lines == null) {
        return;
      }
      lastBlockSize = size;
      notifyAll();
    }
    if (records != null) {
      queue.put(records);
    }
    if (lines != null) {
      queue.put(lines);
    }
  }

  private void pushLoop() {
    try {
      while (true) {
        Cut cut = queue.poll(100, TimeUnit.MILLISECONDS);
        if (cut == END) {
          return;
        }
        if (cut != null) {
          Block block = cut.block();
          try {
            push.accept(block, cut.reserved());
          } catch (RuntimeException e) {
            LOG.error("{}: could not store a block of {} records", name, block.count(), e);
          } finally {
            unstoredRecords.addAndGet(-block.count());
            blocksPushed.incrementAndGet();
            synchronized (this) {
              notifyAll();
            }
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
