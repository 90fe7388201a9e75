package io.tributary.streaming.scheduler;

import io.tributary.Time;
import java.util.Optional;

/**
 * One output operation (print, foreachRDD, save...) of one batch: its id (the order in which the
 * outputs were defined), name, description, timing, and the failure with its stack trace if it
 * failed.
 */
public record OutputOperationInfo(
    Time batchTime,
    int id,
    String name,
    String description,
    Optional<Long> startTime,
    Optional<Long> endTime,
    Optional<String> failureReason) {

  /** Run time in ms, once finished. */
  public Optional<Long> duration() {
    return startTime.flatMap(s -> endTime.map(e -> e - s));
  }
}
