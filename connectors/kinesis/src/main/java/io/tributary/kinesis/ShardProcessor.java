package io.tributary.kinesis;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The record processor of one leased shard. KCL calls it on one thread at a time, in shard order,
 * with the records already de-aggregated. Each call's records become one block, stored before
 * the call returns; only then is the last of them the position to checkpoint, which is written
 * every checkpoint interval, at a graceful shutdown and (as the shard's end) when the shard is
 * closed. A lost lease checkpoints nothing: the next owner starts from the last checkpoint.
 */
final class ShardProcessor<T> implements ShardRecordProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);

  private final KinesisReceiver<T> receiver;
  private final long checkpointIntervalMs;
  private String shardId = "?";
  private String storedSequenceNumber;
  private long storedSubSequenceNumber;
  private boolean checkpointPending;
  private boolean storeFailed;
  private long lastCheckpointMs;

  ShardProcessor(KinesisReceiver<T> receiver) {
    this.receiver = receiver;
    this.checkpointIntervalMs = receiver.settings().checkpointInterval().toMillis();
  }

  @Override
  public void initialize(InitializationInput input) {
    shardId = input.shardId();
    lastCheckpointMs = System.currentTimeMillis();
    LOG.info("Stream '{}' shard {} starts at {}", receiver.settings().streamName(), shardId,
        input.extendedSequenceNumber());
  }

  @Override
  public void processRecords(ProcessRecordsInput input) {
    if (storeFailed) {
      return; // nothing after an unstored block may be checkpointed; the restart reads it again
    }
    List<KinesisClientRecord> records = input.records();
    if (!records.isEmpty() && !store(records)) {
      return;
    }
    if (checkpointPending && System.currentTimeMillis() - lastCheckpointMs >= checkpointIntervalMs) {
      checkpointStored(input.checkpointer());
    }
  }

  /** Converts and stores the records as one block; false when it could not be stored (nothing to checkpoint). */
  private boolean store(List<KinesisClientRecord> records) {
    List<T> block = new ArrayList<>(records.size());
    for (KinesisClientRecord r : records) {
      KinesisRecord record = new KinesisRecord(bytes(r.data()), r.partitionKey(), r.sequenceNumber(),
          r.subSequenceNumber(), shardId, r.approximateArrivalTimestamp());
      try {
        block.add(receiver.handler().call(record));
      } catch (Exception e) {
        receiver.counters().recordsSkipped.incrementAndGet();
        receiver.badInput().report(receiver, "The message handler of Kinesis stream '"
            + receiver.settings().streamName() + "' failed on " + record + "; the record is skipped", e);
      }
    }
    KinesisClientRecord first = records.get(0);
    KinesisClientRecord last = records.get(records.size() - 1);
    try {
      if (!block.isEmpty()) {
        receiver.storeBlock(block, new SequenceNumberRange(receiver.settings().streamName(), shardId,
            first.sequenceNumber(), first.subSequenceNumber(), last.sequenceNumber(), last.subSequenceNumber(),
            block.size()));
      }
    } catch (RuntimeException e) {
      storeFailed = true;
      if (!receiver.isStopped()) {
        receiver.restart("Could not store " + block.size() + " records of shard " + shardId
            + "; they were not checkpointed and are read again after the restart", e);
      }
      return false;
    }
    storedSequenceNumber = last.sequenceNumber();
    storedSubSequenceNumber = last.subSequenceNumber();
    checkpointPending = true;
    return true;
  }

  private static byte[] bytes(ByteBuffer data) {
    ByteBuffer copy = data.duplicate();
    byte[] b = new byte[copy.remaining()];
    copy.get(b);
    return b;
  }

  private void checkpointStored(RecordProcessorCheckpointer checkpointer) {
    try {
      checkpointer.checkpoint(storedSequenceNumber, storedSubSequenceNumber);
      checkpointPending = false;
      lastCheckpointMs = System.currentTimeMillis();
      receiver.counters().checkpoints.incrementAndGet();
    } catch (ThrottlingException e) {
      LOG.debug("Checkpoint of shard {} throttled; retried at the next records", shardId);
    } catch (ShutdownException e) {
      LOG.info("Shard {} is no longer ours; its next owner resumes from the last checkpoint", shardId);
      checkpointPending = false;
    } catch (Exception e) {
      receiver.reportError("Could not checkpoint shard " + shardId + " at " + storedSequenceNumber, e);
    }
  }

  @Override
  public void leaseLost(LeaseLostInput input) {
    LOG.info("Lost the lease of shard {} of stream '{}'", shardId, receiver.settings().streamName());
  }

  @Override
  public void shardEnded(ShardEndedInput input) {
    // every record of the shard was stored by processRecords before this call (unless a store
    // failed): checkpoint its end, which lets the child shards be read
    if (storeFailed) {
      return;
    }
    try {
      input.checkpointer().checkpoint();
      receiver.counters().shardsEnded.incrementAndGet();
      receiver.counters().checkpoints.incrementAndGet();
      LOG.info("Shard {} of stream '{}' read to its end", shardId, receiver.settings().streamName());
    } catch (Exception e) {
      receiver.reportError("Could not checkpoint the end of shard " + shardId + "; it will be read again", e);
    }
  }

  @Override
  public void shutdownRequested(ShutdownRequestedInput input) {
    if (checkpointPending && !storeFailed) {
      checkpointStored(input.checkpointer());
    }
  }
}
