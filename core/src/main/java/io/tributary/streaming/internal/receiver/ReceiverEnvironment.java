package io.tributary.streaming.internal.receiver;

import io.tributary.Clock;
import io.tributary.Duration;
import io.tributary.StreamingConf;
import io.tributary.internal.serializer.Serializer;
import io.tributary.streaming.internal.block.BlockStore;
import io.tributary.streaming.internal.rate.RateLimiter;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.streaming.scheduler.StreamingListenerEvent;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What the receiving side needs from the running context, handed down by it: the receiving
 * packages never see the context itself.
 *
 * @param limiters the rate limiter of each input stream id
 * @param listener posts an event to the context's listeners
 * @param checkpointDirectory the checkpoint directory when the context has one (read at start)
 * @param recovering true when the context restarts from a checkpoint (read at start)
 */
public record ReceiverEnvironment(
    StreamingConf conf,
    Clock clock,
    Duration batchDuration,
    Serializer serializer,
    BlockStore blockStore,
    IntFunction<RateLimiter> limiters,
    Consumer<StreamingListenerEvent> listener,
    java.util.Map<String, String> fileSystemSettings,
    Supplier<String> checkpointDirectory,
    BooleanSupplier recovering) {

  /** Whether received data goes through the write-ahead log. */
  public boolean writeAheadLogEnabled() {
    return conf.getBoolean("streaming.receiver.writeAheadLog.enable", false);
  }

  /** Opens the write-ahead log in {@code subdirectory} of the checkpoint directory. */
  public FileWriteAheadLog openLog(String subdirectory) {
    return new FileWriteAheadLog(
        fileSystemSettings,
        checkpointDirectory.get() + "/" + subdirectory,
        conf.getDuration("streaming.receiver.writeAheadLog.rollingInterval", new Duration(60_000)).milliseconds(),
        conf.getBoolean("streaming.receiver.writeAheadLog.fsync", false));
  }
}
