package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.internal.block.ReceivedBlockInfo;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.streaming.receiver.Receiver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a supervisor per receiver and hands every block they store to {@code onBlock} (batch
 * allocation). Before a batch is allocated, {@link #flush} makes receivers cut what they buffered
 * into blocks. With the write-ahead log on, each receiver logs its blocks under {@code
 * <checkpoint>/receivedData/<stream>}.
 */
public final class ReceiverTracker {
  private final ReceiverEnvironment env;
  private final Consumer<ReceivedBlockInfo> onBlock;
  private final List<ReceiverSupervisor<?>> supervisors = new ArrayList<>();

  public ReceiverTracker(ReceiverEnvironment env, Consumer<ReceivedBlockInfo> onBlock) {
    this.env = env;
    this.onBlock = onBlock;
  }

  /** Opens the write-ahead log of receiver {@code streamId}, or returns null when the log is off. */
  FileWriteAheadLog receiverLog(int streamId) {
    return env.writeAheadLogEnabled() ? env.openLog("receivedData/" + streamId) : null;
  }

  /** Starts a supervisor for each receiver, keyed by its input stream id. */
  public void start(Map<Integer, Receiver<?>> receivers) {
    for (Map.Entry<Integer, Receiver<?>> e : receivers.entrySet()) {
      ReceiverSupervisor<?> supervisor = new ReceiverSupervisor<>(e.getValue(), e.getKey(), env, this);
      synchronized (this) {
        supervisors.add(supervisor);
      }
      supervisor.start();
    }
  }

  /** Stops every receiver; their buffered records are still made into blocks. */
  public void stop(boolean graceful) {
    for (ReceiverSupervisor<?> supervisor : supervisors()) {
      supervisor.stopFromContext(graceful);
    }
  }

  void addBlock(ReceivedBlockInfo block) {
    onBlock.accept(block);
  }

  /**
   * Makes every receiver cut what it buffered into blocks, waiting until {@code deadlineNanos} at
   * most for them to be stored, so a record waits for the next batch, not for the next block
   * interval and then the batch.
   */
  public void flush(long deadlineNanos) {
    for (ReceiverSupervisor<?> supervisor : supervisors()) {
      supervisor.flush(deadlineNanos);
    }
  }

  /** Drops the receivers' logged blocks older than {@code thresholdMillis}. */
  public void cleanLogs(long thresholdMillis) {
    supervisors().forEach(supervisor -> supervisor.cleanLog(thresholdMillis));
  }

  private synchronized List<ReceiverSupervisor<?>> supervisors() {
    return new ArrayList<>(supervisors);
  }
}
