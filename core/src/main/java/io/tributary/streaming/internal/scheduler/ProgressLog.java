package io.tributary.streaming.internal.scheduler;

import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress log an operator reads: one INFO line per completed batch (records, input rate,
 * scheduling and processing delay, failed outputs), and a WARN when the scheduling delay grew
 * for {@code streaming.log.fallingBehindBatches} batches in a row, naming the slowest output
 * operation of the last one.
 */
public final class ProgressLog implements StreamingListener {
  /** Batches in a row whose scheduling delay grew before the WARN; 0 turns it off. */
  public static final String FALLING_BEHIND_BATCHES = "streaming.log.fallingBehindBatches";

  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

  private final long batchMillis;
  private final int fallingBehindBatches;
  private long lastSchedulingDelay = -1;
  private int grew;

  public ProgressLog(StreamingConf conf, long batchMillis) {
    this.batchMillis = batchMillis;
    this.fallingBehindBatches = conf.getInt(FALLING_BEHIND_BATCHES, 5);
    if (fallingBehindBatches < 0) {
      throw new IllegalArgumentException("Configuration key '" + FALLING_BEHIND_BATCHES
          + "' must be 0 (off) or a positive number of batches, got " + fallingBehindBatches);
    }
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    BatchInfo info = completed.batchInfo();
    long scheduling = info.schedulingDelay().orElse(0L);
    long processing = info.processingDelay().orElse(0L);
    if (LOG.isInfoEnabled()) {
      LOG.info(line(info, batchMillis));
    }
    grew = lastSchedulingDelay >= 0 && scheduling > lastSchedulingDelay ? grew + 1 : 0;
    lastSchedulingDelay = scheduling;
    if (fallingBehindBatches > 0 && grew >= fallingBehindBatches) {
      grew = 0;
      LOG.warn(String.format(Locale.ROOT,
          "Falling behind: the scheduling delay grew for %d batches in a row, to %s at batch %d ms; "
              + "batches take %s to process against an interval of %s.%s Add processing threads "
              + "(local[N]), make the slowest output cheaper, or lower the input rate (backpressure, "
              + "streaming.receiver.maxRate)",
          fallingBehindBatches, seconds(scheduling), info.batchTime().milliseconds(), seconds(processing),
          seconds(batchMillis), slowest(info).map(o -> " The slowest output operation is #" + o.id() + " "
              + o.name() + describe(o) + " at " + seconds(o.duration().orElse(0L)) + ".").orElse("")));
    }
  }

  /** The INFO line of one completed batch. */
  public static String line(BatchInfo info, long batchMillis) {
    long records = info.numRecords();
    long scheduling = info.schedulingDelay().orElse(0L);
    long processing = info.processingDelay().orElse(0L);
    String failed = info.outputOperationInfos().values().stream()
        .filter(o -> o.failureReason().isPresent())
        .map(o -> " #" + o.id() + " " + o.name())
        .sorted()
        .reduce("", String::concat);
    return String.format(Locale.ROOT,
        "Batch %d ms: %,d records (%,.0f records/s), scheduling delay %s, processing %s, total delay %s%s",
        info.batchTime().milliseconds(), records, records * 1000.0 / batchMillis, seconds(scheduling),
        seconds(processing), seconds(scheduling + processing),
        failed.isEmpty() ? "" : "; failed output(s):" + failed);
  }

  private static Optional<OutputOperationInfo> slowest(BatchInfo info) {
    return info.outputOperationInfos().values().stream()
        .filter(o -> o.duration().isPresent())
        .max(Comparator.comparingLong(o -> o.duration().get()));
  }

  private static String describe(OutputOperationInfo o) {
    return o.description() == null || o.description().isEmpty() || o.description().equals(o.name())
        ? "" : " (" + o.description() + ")";
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
  }
}
