package io.tributary.streaming.scheduler;

import io.tributary.Time;
import java.util.Map;
import java.util.Optional;

/**
 * One batch: its time, what each input stream contributed, when it was submitted, started and
 * finished (ms since the epoch), and each output operation's outcome. The delays are the ones an
 * operator watches: a scheduling delay that grows batch after batch means the stream is falling
 * behind.
 */
public record BatchInfo(
    Time batchTime,
    Map<Integer, StreamInputInfo> streamIdToInputInfo,
    long submissionTime,
    Optional<Long> processingStartTime,
    Optional<Long> processingEndTime,
    Map<Integer, OutputOperationInfo> outputOperationInfos) {

  public BatchInfo {
    streamIdToInputInfo = Map.copyOf(streamIdToInputInfo);
    outputOperationInfos = Map.copyOf(outputOperationInfos);
  }

  /** Time the batch waited for earlier batches: from submission to the start of its first job. */
  public Optional<Long> schedulingDelay() {
    return processingStartTime.map(start -> start - submissionTime);
  }

  /** Time the batch's jobs took: from the first job's start to the last job's end. */
  public Optional<Long> processingDelay() {
    return processingStartTime.flatMap(start -> processingEndTime.map(end -> end - start));
  }

  /** Scheduling plus processing delay. */
  public Optional<Long> totalDelay() {
    return schedulingDelay().flatMap(s -> processingDelay().map(p -> s + p));
  }

  /** Records received by all input streams for this batch. */
  public long numRecords() {
    long total = 0;
    for (StreamInputInfo info : streamIdToInputInfo.values()) {
      total += info.numRecords();
    }
    return total;
  }

  /** True when some output operation of this batch failed. */
  public boolean hasFailure() {
    return outputOperationInfos.values().stream().anyMatch(o -> o.failureReason().isPresent());
  }
}
