package io.tributary.ui;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.InputStreamStatus;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.ReceiverInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The context's metrics in a registry of the Prometheus Java client, fed by the listener events
 * (counters and histograms) and read from the context at scrape time (gauges of rates and
 * memory). One registry per context, so two contexts in one JVM never mix their series.
 */
final class PrometheusMetrics implements StreamingListener {
  private static final double[] SECONDS_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Map<Integer, String> names = new HashMap<>();
  private final Set<Integer> started = new HashSet<>();
  private final Set<Long> activeBatches = new HashSet<>();

  private final Counter batchesCompleted;
  private final Counter batchesFailed;
  private final Histogram processing;
  private final Histogram totalDelay;
  private final Gauge schedulingDelay;
  private final Gauge lastBatch;
  private final Counter inputRecords;
  private final Counter receiverRestarts;
  private final Counter receiverErrors;
  private final Gauge receiverActive;
  private final Counter rateUpdates;
  private final Histogram outputSeconds;
  private final Counter outputFailures;

  PrometheusMetrics(StreamingContext ssc) {
    for (InputStreamStatus s : ssc.inputStreams()) {
      names.put(s.streamId(), s.name());
    }
    batchesCompleted = Counter.builder().name("tributary_batches_completed")
        .help("Batches whose every output operation finished, failed ones included").register(registry);
    batchesFailed = Counter.builder().name("tributary_batches_failed")
        .help("Completed batches in which some output operation failed").register(registry);
    processing = seconds(Histogram.builder().name("tributary_batch_processing_seconds")
        .help("Time a batch's jobs took, from its first job's start to its last job's end"));
    totalDelay = seconds(Histogram.builder().name("tributary_batch_total_delay_seconds")
        .help("Scheduling delay plus processing time of each batch"));
    schedulingDelay = Gauge.builder().name("tributary_scheduling_delay_seconds").unit(Unit.SECONDS)
        .help("Scheduling delay of the last completed batch: how long it waited for earlier ones")
        .register(registry);
    lastBatch = Gauge.builder().name("tributary_last_completed_batch_timestamp_seconds")
        .help("Batch time of the last completed batch, seconds since the epoch").register(registry);
    GaugeWithCallback.builder().name("tributary_batches_active")
        .help("Batches generated and not completed yet (queued or running)")
        .callback(cb -> cb.call(activeCount())).register(registry);
    inputRecords = Counter.builder().name("tributary_input_records")
        .help("Records each input stream contributed to completed batches")
        .labelNames("stream_id", "stream").register(registry);
    GaugeWithCallback.builder().name("tributary_input_rate_limit_records_per_second")
        .help("Ingestion rate each input may use now (static limit and backpressure), +Inf when unlimited")
        .labelNames("stream_id", "stream")
        .callback(cb -> ssc.inputStreams().forEach(s ->
            cb.call(s.rateLimit(), String.valueOf(s.streamId()), s.name())))
        .register(registry);
    rateUpdates = Counter.builder().name("tributary_input_rate_updates")
        .help("Rate changes backpressure made to each input").labelNames("stream_id", "stream").register(registry);
    receiverRestarts = Counter.builder().name("tributary_receiver_restarts")
        .help("Receiver starts after the first one: restarts after an error")
        .labelNames("stream_id", "stream").register(registry);
    receiverErrors = Counter.builder().name("tributary_receiver_errors")
        .help("Errors receivers reported or failed with").labelNames("stream_id", "stream").register(registry);
    receiverActive = Gauge.builder().name("tributary_receiver_active")
        .help("1 while the receiver runs, 0 once stopped or while restarting")
        .labelNames("stream_id", "stream").register(registry);
    GaugeWithCallback.builder().name("tributary_receiver_buffered_bytes").unit(Unit.BYTES)
        .help("Received data held in memory: stored blocks not yet released and records not yet stored")
        .callback(cb -> cb.call(ssc.bufferedBytes())).register(registry);
    GaugeWithCallback.builder().name("tributary_receiver_buffered_limit_bytes").unit(Unit.BYTES)
        .help("The bound of tributary_receiver_buffered_bytes (streaming.receiver.maxBufferedBytes)")
        .callback(cb -> cb.call(ssc.maxBufferedBytes())).register(registry);
    outputSeconds = seconds(Histogram.builder().name("tributary_output_operation_seconds")
        .help("Run time of each output operation per batch").labelNames("output_op_id", "output_op"));
    outputFailures = Counter.builder().name("tributary_output_operation_failures")
        .help("Batches in which each output operation failed").labelNames("output_op_id", "output_op")
        .register(registry);
  }

  private Histogram seconds(Histogram.Builder builder) {
    return builder.unit(Unit.SECONDS).classicOnly().classicUpperBounds(SECONDS_BUCKETS).register(registry);
  }

  private synchronized double activeCount() {
    return activeBatches.size();
  }

  /** Writes every metric in the Prometheus text format (version 0.0.4). */
  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  String contentType() {
    return writer.getContentType();
  }

  private String name(int streamId) {
    return names.getOrDefault(streamId, "stream-" + streamId);
  }

  @Override
  public synchronized void onBatchSubmitted(StreamingListenerBatchSubmitted submitted) {
    activeBatches.add(submitted.batchInfo().batchTime().milliseconds());
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    BatchInfo info = completed.batchInfo();
    synchronized (this) {
      activeBatches.remove(info.batchTime().milliseconds());
    }
    batchesCompleted.inc();
    if (info.hasFailure()) {
      batchesFailed.inc();
    }
    info.processingDelay().ifPresent(ms -> processing.observe(ms / 1000.0));
    info.totalDelay().ifPresent(ms -> totalDelay.observe(ms / 1000.0));
    info.schedulingDelay().ifPresent(ms -> schedulingDelay.set(ms / 1000.0));
    lastBatch.set(info.batchTime().milliseconds() / 1000.0);
    for (StreamInputInfo in : info.streamIdToInputInfo().values()) {
      inputRecords.labelValues(String.valueOf(in.inputStreamId()), name(in.inputStreamId())).inc(in.numRecords());
    }
    for (OutputOperationInfo op : info.outputOperationInfos().values()) {
      String id = String.valueOf(op.id());
      op.duration().ifPresent(ms -> outputSeconds.labelValues(id, op.name()).observe(ms / 1000.0));
      if (op.failureReason().isPresent()) {
        outputFailures.labelValues(id, op.name()).inc();
      }
    }
  }

  @Override
  public void onReceiverStarted(StreamingListenerReceiverStarted event) {
    ReceiverInfo info = event.receiverInfo();
    boolean again;
    synchronized (this) {
      again = !started.add(info.streamId());
    }
    String id = String.valueOf(info.streamId());
    if (again) {
      receiverRestarts.labelValues(id, name(info.streamId())).inc();
    } else {
      receiverRestarts.labelValues(id, name(info.streamId())); // the series shows 0 from the start
      receiverErrors.labelValues(id, name(info.streamId()));
    }
    receiverActive.labelValues(id, name(info.streamId())).set(1);
  }

  @Override
  public void onReceiverError(StreamingListenerReceiverError event) {
    ReceiverInfo info = event.receiverInfo();
    receiverErrors.labelValues(String.valueOf(info.streamId()), name(info.streamId())).inc();
    if (!info.active()) {
      receiverActive.labelValues(String.valueOf(info.streamId()), name(info.streamId())).set(0);
    }
  }

  @Override
  public void onReceiverStopped(StreamingListenerReceiverStopped event) {
    ReceiverInfo info = event.receiverInfo();
    receiverActive.labelValues(String.valueOf(info.streamId()), name(info.streamId())).set(0);
  }

  @Override
  public void onRateUpdated(StreamingListenerRateUpdated updated) {
    rateUpdates.labelValues(String.valueOf(updated.streamId()), name(updated.streamId())).inc();
  }
}
