package io.tributary.ui;

import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.InputStreamStatus;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.ReceiverInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchStarted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import io.tributary.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the page and the JSON API show, kept from the listener events: the last {@code
 * ui.retainedBatches} completed batches, the batches queued or running, each receiver's state and
 * each input's rate changes. Events come on the listener thread, reads on the server's; both take
 * this object's lock, and a read renders its JSON under it.
 */
final class StatusStore implements StreamingListener {
  /** Rate changes kept per input stream. */
  static final int RATE_UPDATES_KEPT = 100;

  private static final class Receiver {
    ReceiverInfo info;
    int starts;
    long errors;
  }

  private record RateChange(long batchTime, long time, double rate) {}

  private final StreamingContext ssc;
  private final int retained;
  private final long batchMillis;
  private final ArrayDeque<BatchInfo> completed = new ArrayDeque<>();
  private final TreeMap<Long, BatchInfo> active = new TreeMap<>();
  private final TreeMap<Integer, Receiver> receivers = new TreeMap<>();
  private final Map<Integer, ArrayDeque<RateChange>> rateChanges = new HashMap<>();
  private final Map<Integer, Long> recordsByStream = new HashMap<>();
  private long startTime = -1;
  private long totalCompleted;
  private long totalFailed;
  private long totalRecords;

  StatusStore(StreamingContext ssc, int retained) {
    this.ssc = ssc;
    this.retained = retained;
    this.batchMillis = ssc.batchDuration().milliseconds();
  }

  // ---------------------------------------------------------------- events

  @Override
  public synchronized void onStreamingStarted(StreamingListenerStreamingStarted started) {
    startTime = started.time();
  }

  @Override
  public synchronized void onReceiverStarted(StreamingListenerReceiverStarted started) {
    Receiver r = receiver(started.receiverInfo());
    r.starts++;
  }

  @Override
  public synchronized void onReceiverError(StreamingListenerReceiverError error) {
    receiver(error.receiverInfo()).errors++;
  }

  @Override
  public synchronized void onReceiverStopped(StreamingListenerReceiverStopped stopped) {
    receiver(stopped.receiverInfo());
  }

  private Receiver receiver(ReceiverInfo info) {
    Receiver r = receivers.computeIfAbsent(info.streamId(), id -> new Receiver());
    r.info = info;
    return r;
  }

  @Override
  public synchronized void onBatchSubmitted(StreamingListenerBatchSubmitted submitted) {
    active.put(submitted.batchInfo().batchTime().milliseconds(), submitted.batchInfo());
  }

  @Override
  public synchronized void onBatchStarted(StreamingListenerBatchStarted started) {
    active.put(started.batchInfo().batchTime().milliseconds(), started.batchInfo());
  }

  @Override
  public synchronized void onBatchCompleted(StreamingListenerBatchCompleted event) {
    BatchInfo info = event.batchInfo();
    active.remove(info.batchTime().milliseconds());
    completed.addLast(info);
    while (completed.size() > retained) {
      completed.removeFirst();
    }
    totalCompleted++;
    if (info.hasFailure()) {
      totalFailed++;
    }
    totalRecords += info.numRecords();
    info.streamIdToInputInfo().values().forEach(in -> recordsByStream.merge(in.inputStreamId(), in.numRecords(), Long::sum));
  }

  @Override
  public synchronized void onRateUpdated(StreamingListenerRateUpdated updated) {
    ArrayDeque<RateChange> changes = rateChanges.computeIfAbsent(updated.streamId(), id -> new ArrayDeque<>());
    changes.addLast(new RateChange(updated.batchTime().milliseconds(), System.currentTimeMillis(), updated.rate()));
    while (changes.size() > RATE_UPDATES_KEPT) {
      changes.removeFirst();
    }
  }

  // ---------------------------------------------------------------- reads, as JSON

  /** {@code /api/v1/streaming/statistics}: the application and averages over the retained batches. */
  synchronized String statistics() {
    long active = receivers.values().stream().filter(r -> r.info.active()).count();
    Json json = new Json().beginObject()
        .field("appName", ssc.conf().appName())
        .field("master", ssc.conf().master())
        .field("startTime", startTime)
        .field("batchDuration", batchMillis)
        .field("numReceivers", receivers.size())
        .field("numActiveReceivers", active)
        .field("numInactiveReceivers", receivers.size() - active)
        .field("numTotalCompletedBatches", totalCompleted)
        .field("numTotalFailedBatches", totalFailed)
        .field("numRetainedCompletedBatches", completed.size())
        .field("numActiveBatches", this.active.size())
        .field("numProcessedRecords", totalRecords)
        .field("avgInputRate", average(b -> (double) b.numRecords() * 1000 / batchMillis))
        .field("avgSchedulingDelay", average(b -> b.schedulingDelay().map(Long::doubleValue).orElse(null)))
        .field("avgProcessingTime", average(b -> b.processingDelay().map(Long::doubleValue).orElse(null)))
        .field("avgTotalDelay", average(b -> b.totalDelay().map(Long::doubleValue).orElse(null)))
        .field("bufferedBytes", ssc.bufferedBytes())
        .field("maxBufferedBytes", ssc.maxBufferedBytes());
    return json.endObject().toString();
  }

  private Double average(java.util.function.Function<BatchInfo, Double> value) {
    double sum = 0;
    int n = 0;
    for (BatchInfo b : completed) {
      Double v = value.apply(b);
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  /**
   * {@code /api/v1/streaming/timeline}: the retained completed batches as columns, oldest first:
   * batch times (ms), records, input rate (records/s), scheduling delay, processing time and
   * total delay (ms).
   */
  synchronized String timeline() {
    Json json = new Json().beginObject();
    column(json, "batchTime", b -> b.batchTime().milliseconds());
    column(json, "inputSize", BatchInfo::numRecords);
    column(json, "inputRate", b -> b.numRecords() * 1000.0 / batchMillis);
    column(json, "schedulingDelay", b -> b.schedulingDelay().orElse(null));
    column(json, "processingTime", b -> b.processingDelay().orElse(null));
    column(json, "totalDelay", b -> b.totalDelay().orElse(null));
    return json.endObject().toString();
  }

  private void column(Json json, String name, java.util.function.Function<BatchInfo, Object> value) {
    json.key(name).beginArray();
    for (BatchInfo b : completed) {
      json.value(value.apply(b));
    }
    json.endArray();
  }

  /**
   * {@code /api/v1/streaming/batches}: the active and retained batches, newest first, at most
   * {@code limit}; {@code status} (QUEUED, PROCESSING, COMPLETED) keeps only those, null all.
   */
  synchronized String batches(String status, int limit) {
    Json json = new Json().beginArray();
    int n = 0;
    for (BatchInfo b : newestFirst()) {
      if (n >= limit) {
        break;
      }
      if (status == null || status.equalsIgnoreCase(status(b))) {
        batch(json, b, false);
        n++;
      }
    }
    return json.endArray().toString();
  }

  /** {@code /api/v1/streaming/batches/{batchId}}: one batch in full, if it is still retained. */
  synchronized Optional<String> batch(long batchTime) {
    return find(batchTime).map(b -> {
      Json json = new Json();
      batch(json, b, true);
      return json.toString();
    });
  }

  /** {@code /api/v1/streaming/batches/{batchId}/operations}. */
  synchronized Optional<String> operations(long batchTime) {
    return find(batchTime).map(b -> {
      Json json = new Json();
      operations(json, b, true);
      return json.toString();
    });
  }

  private Optional<BatchInfo> find(long batchTime) {
    BatchInfo running = active.get(batchTime);
    if (running != null) {
      return Optional.of(running);
    }
    return completed.stream().filter(b -> b.batchTime().milliseconds() == batchTime).findFirst();
  }

  private List<BatchInfo> newestFirst() {
    List<BatchInfo> all = new ArrayList<>(active.descendingMap().values());
    for (Iterator<BatchInfo> it = completed.descendingIterator(); it.hasNext(); ) {
      all.add(it.next());
    }
    return all;
  }

  private String status(BatchInfo b) {
    if (!active.containsKey(b.batchTime().milliseconds())) {
      return "COMPLETED";
    }
    return b.processingStartTime().isPresent() ? "PROCESSING" : "QUEUED";
  }

  private void batch(Json json, BatchInfo b, boolean full) {
    long failed = b.outputOperationInfos().values().stream().filter(o -> o.failureReason().isPresent()).count();
    long done = b.outputOperationInfos().values().stream().filter(o -> o.endTime().isPresent()).count();
    json.beginObject()
        .field("batchId", b.batchTime().milliseconds())
        .field("batchTime", b.batchTime().milliseconds())
        .field("status", status(b))
        .field("batchDuration", batchMillis)
        .field("inputSize", b.numRecords())
        .field("submissionTime", b.submissionTime())
        .field("processingStartTime", b.processingStartTime())
        .field("processingEndTime", b.processingEndTime())
        .field("schedulingDelay", b.schedulingDelay())
        .field("processingTime", b.processingDelay())
        .field("totalDelay", b.totalDelay())
        .field("numActiveOutputOps", b.outputOperationInfos().size() - done)
        .field("numCompletedOutputOps", done - failed)
        .field("numFailedOutputOps", failed)
        .field("numTotalOutputOps", b.outputOperationInfos().size())
        .field("firstFailureReason", b.outputOperationInfos().values().stream()
            .sorted(Comparator.comparingInt(OutputOperationInfo::id))
            .flatMap(o -> o.failureReason().stream()).findFirst().map(r -> full ? r : firstLine(r)));
    json.key("inputs").beginArray();
    Map<Integer, String> names = streamNames();
    new TreeMap<>(b.streamIdToInputInfo()).values().forEach(in -> input(json, in, names));
    json.endArray();
    json.key("outputOperations");
    operations(json, b, full);
    json.endObject();
  }

  private static void input(Json json, StreamInputInfo in, Map<Integer, String> names) {
    Map<String, Object> metadata = new TreeMap<>(in.metadata());
    metadata.remove(StreamInputInfo.METADATA_KEY_DESCRIPTION);
    json.beginObject()
        .field("streamId", in.inputStreamId())
        .field("streamName", names.get(in.inputStreamId()))
        .field("numRecords", in.numRecords())
        .field("description", in.metadataDescription())
        .field("metadata", metadata)
        .endObject();
  }

  private static void operations(Json json, BatchInfo b, boolean full) {
    json.beginArray();
    new TreeMap<>(b.outputOperationInfos()).values().forEach(o -> json.beginObject()
        .field("outputOpId", o.id())
        .field("name", o.name())
        .field("description", o.description())
        .field("startTime", o.startTime())
        .field("endTime", o.endTime())
        .field("duration", o.duration())
        .field("failureReason", o.failureReason().map(r -> full ? r : firstLine(r)))
        .endObject());
    json.endArray();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** {@code /api/v1/streaming/receivers}: each receiver, with its rate per retained batch. */
  synchronized String receivers() {
    Map<Integer, Double> limits = rateLimits();
    Json json = new Json().beginArray();
    for (Map.Entry<Integer, Receiver> e : receivers.entrySet()) {
      int id = e.getKey();
      Receiver r = e.getValue();
      ReceiverInfo info = r.info;
      json.beginObject()
          .field("streamId", id)
          .field("streamName", info.name())
          .field("isActive", info.active())
          .field("executorId", info.executorId())
          .field("executorHost", info.location())
          .field("restarts", Math.max(0, r.starts - 1))
          .field("numErrors", r.errors)
          .field("lastErrorTime", info.lastErrorTime() < 0 ? null : info.lastErrorTime())
          .field("lastErrorMessage", info.lastErrorMessage())
          .field("lastError", info.lastError())
          .field("rateLimit", limits.get(id))
          .field("avgEventRate", average(b -> eventRate(b, id)));
      json.key("eventRates").beginArray();
      for (BatchInfo b : completed) {
        Double rate = eventRate(b, id);
        if (rate != null) {
          json.beginArray().value(b.batchTime().milliseconds()).value(rate).endArray();
        }
      }
      json.endArray().endObject();
    }
    return json.endArray().toString();
  }

  private Double eventRate(BatchInfo b, int streamId) {
    StreamInputInfo in = b.streamIdToInputInfo().get(streamId);
    return in == null ? null : in.numRecords() * 1000.0 / batchMillis;
  }

  /**
   * {@code /api/v1/streaming/inputs}: every input stream (receiver or direct), its rate limit now,
   * its records so far and backpressure's last rate changes.
   */
  synchronized String inputs() {
    Json json = new Json().beginArray();
    for (InputStreamStatus s : ssc.inputStreams()) {
      json.beginObject()
          .field("streamId", s.streamId())
          .field("streamName", s.name())
          .field("receiverBased", s.receiverBased())
          .field("rateLimit", s.rateLimit())
          .field("numRecords", recordsByStream.getOrDefault(s.streamId(), 0L));
      json.key("rateUpdates").beginArray();
      for (RateChange c : rateChanges.getOrDefault(s.streamId(), new ArrayDeque<>())) {
        json.beginObject().field("batchTime", c.batchTime()).field("time", c.time()).field("rate", c.rate()).endObject();
      }
      json.endArray().endObject();
    }
    return json.endArray().toString();
  }

  private Map<Integer, Double> rateLimits() {
    Map<Integer, Double> limits = new HashMap<>();
    ssc.inputStreams().forEach(s -> limits.put(s.streamId(), s.rateLimit()));
    return limits;
  }

  private Map<Integer, String> streamNames() {
    Map<Integer, String> names = new HashMap<>();
    ssc.inputStreams().forEach(s -> names.put(s.streamId(), s.name()));
    return names;
  }
}
