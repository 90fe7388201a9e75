package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON API and the server's rules against a running pipeline. */
class UiApiTest extends WithRunningPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = pipeline.get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  private static Long optional(Optional<Long> value) {
    return value.orElse(null);
  }

  private static Long number(JsonNode node) {
    return node == null || node.isNull() ? null : node.asLong();
  }

  @Test
  void completedBatchesEqualTheListenersBatchInfos() throws Exception {
    Map<Long, BatchInfo> seen = new HashMap<>();
    JsonNode batches = get("/api/v1/streaming/batches?status=COMPLETED");
    pipeline.batches.forEach(b -> seen.put(b.batchTime().milliseconds(), b)); // the test's listener runs first
    assertThat(batches.size()).isGreaterThanOrEqualTo(5);
    long previous = Long.MAX_VALUE;
    for (JsonNode batch : batches) {
      long id = batch.get("batchId").asLong();
      assertThat(id).as("newest first").isLessThan(previous);
      previous = id;
      BatchInfo info = seen.get(id);
      assertThat(info).as("batch " + id + " was seen by the listener").isNotNull();
      assertThat(batch.get("status").asText()).isEqualTo("COMPLETED");
      assertThat(batch.get("inputSize").asLong()).isEqualTo(info.numRecords());
      assertThat(batch.get("submissionTime").asLong()).isEqualTo(info.submissionTime());
      assertThat(number(batch.get("schedulingDelay"))).isEqualTo(optional(info.schedulingDelay()));
      assertThat(number(batch.get("processingTime"))).isEqualTo(optional(info.processingDelay()));
      assertThat(number(batch.get("totalDelay"))).isEqualTo(optional(info.totalDelay()));
      assertThat(batch.get("numTotalOutputOps").asInt()).isEqualTo(info.outputOperationInfos().size()).isEqualTo(2);
      for (JsonNode op : batch.get("outputOperations")) {
        OutputOperationInfo expected = info.outputOperationInfos().get(op.get("outputOpId").asInt());
        assertThat(op.get("name").asText()).isEqualTo(expected.name());
        assertThat(number(op.get("duration"))).isEqualTo(optional(expected.duration()));
        assertThat(op.get("failureReason").isNull()).isTrue();
      }
      for (JsonNode input : batch.get("inputs")) {
        assertThat(input.get("numRecords").asLong())
            .isEqualTo(info.streamIdToInputInfo().get(input.get("streamId").asInt()).numRecords());
      }
    }
    long records = 0;
    for (JsonNode batch : batches) {
      records += batch.get("inputSize").asLong();
    }
    assertThat(records).as("every record is in a retained batch").isEqualTo(Pipeline.totalRecords());
  }

  @Test
  void oneBatchInFullAndItsOperations() throws Exception {
    BatchInfo withRecords = pipeline.batches.stream().filter(b -> b.numRecords() > 0).findFirst().orElseThrow();
    long id = withRecords.batchTime().milliseconds();
    JsonNode batch = get("/api/v1/streaming/batches/" + id);
    assertThat(batch.get("batchId").asLong()).isEqualTo(id);
    assertThat(batch.get("inputSize").asLong()).isEqualTo(withRecords.numRecords());
    JsonNode operations = get("/api/v1/streaming/batches/" + id + "/operations");
    assertThat(operations.size()).isEqualTo(2);
    assertThat(operations.get(0).get("outputOpId").asInt()).isZero();
    assertThat(operations.get(1).get("outputOpId").asInt()).isEqualTo(1);

    HttpResponse<String> missing = pipeline.get("/api/v1/streaming/batches/12345");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("No batch 12345 is retained");
    HttpResponse<String> badLimit = pipeline.get("/api/v1/streaming/batches?limit=many");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.body()).contains("limit must be a whole number", "many");
    assertThat(get("/api/v1/streaming/batches?limit=2").size()).isEqualTo(2);
  }

  @Test
  void receiversCountTheRestartWithItsCause() throws Exception {
    JsonNode receivers = get("/api/v1/streaming/receivers");
    assertThat(receivers.size()).isEqualTo(1);
    JsonNode r = receivers.get(0);
    assertThat(r.get("streamId").asInt()).isZero();
    assertThat(r.get("streamName").asText()).isEqualTo(pipeline.receivers.get(0).name()).isEqualTo("Steady");
    assertThat(r.get("isActive").asBoolean()).isTrue();
    assertThat(r.get("restarts").asInt()).isEqualTo(pipeline.receiverStarts.get() - 1).isEqualTo(1);
    assertThat(r.get("lastErrorMessage").asText()).contains("one restart on purpose");
    assertThat(r.get("lastError").asText()).contains("connection reset (on purpose)");
    assertThat(r.get("eventRates").size()).isGreaterThan(0);
    // backpressure may change the rate between two reads: compare one read with the next
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
      double before = pipeline.ssc.inputStreams().get(0).rateLimit();
      double shown = get("/api/v1/streaming/receivers").get(0).get("rateLimit").asDouble();
      assertThat(shown).isEqualTo(before).isEqualTo(pipeline.ssc.inputStreams().get(0).rateLimit());
    });
  }

  @Test
  void statisticsAndInputsAgreeWithTheListener() throws Exception {
    JsonNode stats = get("/api/v1/streaming/statistics");
    assertThat(stats.get("appName").asText()).isEqualTo("ui-test");
    assertThat(stats.get("batchDuration").asLong()).isEqualTo(200);
    assertThat(stats.get("numProcessedRecords").asLong()).isEqualTo(Pipeline.totalRecords());
    assertThat(stats.get("numTotalCompletedBatches").asLong()).isLessThanOrEqualTo(pipeline.batches.size())
        .isGreaterThanOrEqualTo(5);
    assertThat(stats.get("numTotalFailedBatches").asLong()).isZero();
    assertThat(stats.get("maxBufferedBytes").asLong()).isEqualTo(pipeline.ssc.maxBufferedBytes());
    JsonNode inputs = get("/api/v1/streaming/inputs");
    assertThat(inputs.size()).isEqualTo(2);
    assertThat(inputs.get(0).get("streamName").asText()).isEqualTo("steady");
    assertThat(inputs.get(0).get("receiverBased").asBoolean()).isTrue();
    assertThat(inputs.get(0).get("numRecords").asLong()).isEqualTo(Pipeline.RECEIVED);
    assertThat(inputs.get(1).get("receiverBased").asBoolean()).isFalse();
    assertThat(inputs.get(1).get("numRecords").asLong()).isZero();
    JsonNode timeline = get("/api/v1/streaming/timeline");
    assertThat(timeline.get("batchTime").size()).isEqualTo(timeline.get("processingTime").size())
        .as("read after the statistics: batches may have completed since")
        .isGreaterThanOrEqualTo(stats.get("numRetainedCompletedBatches").asInt());
  }

  @Test
  void pagesAndStaticFilesAreServedAndNothingChangesState() throws Exception {
    HttpResponse<String> page = pipeline.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("uPlot.iife.min.js", "Scheduling delay");
    assertThat(pipeline.get("/static/uplot/uPlot.iife.min.js").body()).contains("uPlot");
    assertThat(pipeline.get("/batch?id=1").statusCode()).isEqualTo(200);
    assertThat(pipeline.get("/static/../UiServer.class").statusCode()).isEqualTo(404);
    for (String method : List.of("POST", "PUT", "DELETE")) {
      HttpResponse<String> refused = pipeline.send(method, "/api/v1/streaming/batches");
      assertThat(refused.statusCode()).isEqualTo(405);
      assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
    assertThat(get("/api/v1").get("endpoints").size()).isEqualTo(7);
  }

  @Test
  void listensOnLoopbackOnlyByDefault() throws Exception {
    assertThat(pipeline.url().getHost()).isEqualTo("127.0.0.1");
    int port = pipeline.url().getPort();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
          continue;
        }
        try (Socket socket = new Socket()) {
          assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2000))
              .as("the UI must not answer on " + address).isInstanceOf(java.io.IOException.class);
        }
      }
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      assertThat(socket.isConnected()).isTrue();
    }
  }
}
