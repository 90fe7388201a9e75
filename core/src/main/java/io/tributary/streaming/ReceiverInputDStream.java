package io.tributary.streaming;

import io.tributary.Time;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.internal.block.BlockReader;
import io.tributary.streaming.internal.block.ReceivedBlockInfo;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.StreamInputInfo;
import java.util.List;
import java.util.Optional;

/**
 * An input stream fed by a {@link Receiver}: the context runs the receiver on its own threads,
 * collects what it stores into blocks, and each batch is the dataset of the blocks received since
 * the previous batch (one partition per block).
 */
public class ReceiverInputDStream<T> extends InputDStream<T> {
  private final Receiver<T> receiver;

  public ReceiverInputDStream(StreamingContext ssc, Receiver<T> receiver) {
    super(ssc);
    this.receiver = io.tributary.internal.Checks.notNull(receiver, "receiver");
  }

  /** The receiver that feeds this stream. */
  public Receiver<T> getReceiver() {
    return receiver;
  }

  /** True: receivers are throttled to {@link #rateLimit()}. */
  @Override
  public boolean followsRateLimit() {
    return true;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public Optional<Rdd<T>> compute(Time validTime) {
    List<ReceivedBlockInfo> blocks = ssc.runtime().blockTracker().blocksOfBatch(validTime, inputId());
    long records = 0;
    for (ReceivedBlockInfo block : blocks) {
      records += block.numRecords();
    }
    reportInput(validTime, records, java.util.Map.of());
    return Optional.of(BlockReader.of(ssc.rddContext(), ssc.runtime().blockStore(), blocks));
  }
}
