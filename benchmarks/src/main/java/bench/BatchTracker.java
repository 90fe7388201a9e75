package bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import java.util.Optional;

/** Collects the engine's own per-batch BatchInfo (scheduling delay, processing time, #records). */
public final class BatchTracker implements StreamingListener {
  /** batchTime(ms) -> numRecords, filled at submission. */
  public final ConcurrentSkipListMap<Long, Long> submitted = new ConcurrentSkipListMap<>();
  /** batchTime(ms) -> completed info. */
  public final ConcurrentSkipListMap<Long, Done> completed = new ConcurrentSkipListMap<>();
  public volatile String receiverError;

  public static final class Done {
    public final long batchTime, numRecords, submissionTime, procStart, procEnd, schedDelay, procDelay;
    Done(BatchInfo b) {
      batchTime = b.batchTime().milliseconds();
      numRecords = b.numRecords();
      submissionTime = b.submissionTime();
      procStart = get(b.processingStartTime());
      procEnd = get(b.processingEndTime());
      schedDelay = get(b.schedulingDelay());
      procDelay = get(b.processingDelay());
    }
  }

  static long get(Optional<Long> o) { return o.orElse(-1L); }

  @Override public void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
    submitted.put(e.batchInfo().batchTime().milliseconds(), e.batchInfo().numRecords());
  }

  @Override public void onBatchCompleted(StreamingListenerBatchCompleted e) {
    Done d = new Done(e.batchInfo());
    submitted.put(d.batchTime, d.numRecords);
    completed.put(d.batchTime, d);
    if (d.numRecords > 0 || d.procDelay > 100) {
      System.err.printf("BATCH t=%d records=%d sched_delay_ms=%d proc_ms=%d%n", d.batchTime, d.numRecords, d.schedDelay, d.procDelay);
    }
  }

  @Override public void onReceiverError(StreamingListenerReceiverError e) {
    receiverError = e.receiverInfo().lastErrorMessage();
  }

  /** Waits until batch t has completed (or timeout). */
  public Done awaitCompleted(long t, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      Done d = completed.get(t);
      if (d != null) return d;
      Thread.sleep(10);
    }
    return completed.get(t);
  }

  public Long firstNonEmptyBatch() {
    for (Map.Entry<Long, Long> e : submitted.entrySet()) if (e.getValue() > 0) return e.getKey();
    return null;
  }

  /** Completed batches with firstTime <= batchTime <= lastTime. */
  public List<Done> range(long firstTime, long lastTime) {
    return new ArrayList<>(completed.subMap(firstTime, true, lastTime, true).values());
  }

  public static long percentile(List<Long> v, double p) {
    if (v.isEmpty()) return -1;
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
  }

  /** Standard metric block over batches [first, last] (inclusive, by batch time). */
  public static String metrics(List<Done> bs) {
    List<Long> proc = new ArrayList<>();
    long maxSched = 0, sumProc = 0;
    for (Done d : bs) {
      proc.add(d.procDelay);
      sumProc += d.procDelay;
      maxSched = Math.max(maxSched, d.schedDelay);
    }
    return String.format("batches=%d p50_batch_ms=%d p99_batch_ms=%d max_batch_ms=%d mean_batch_ms=%.1f max_sched_delay_ms=%d",
        bs.size(), percentile(proc, 50), percentile(proc, 99), percentile(proc, 100),
        bs.isEmpty() ? 0.0 : (double) sumProc / bs.size(), maxSched);
  }
}
