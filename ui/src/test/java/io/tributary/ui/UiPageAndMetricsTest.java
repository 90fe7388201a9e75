package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streaming page in headless Chromium and {@code /metrics} through the Prometheus project's
 * own text-format parser (its Python client, Debian's {@code python3-prometheus-client}).
 */
class UiPageAndMetricsTest extends WithRunningPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PARSER = """
      import json, sys
      from prometheus_client.parser import text_string_to_metric_families
      out = []
      for family in text_string_to_metric_families(sys.stdin.read()):
          out.append({"name": family.name, "type": family.type, "help": family.documentation,
                      "samples": [{"name": s.name, "labels": s.labels, "value": repr(s.value)} for s in family.samples]})
      print(json.dumps(out))
      """;

  // ---------------------------------------------------------------- /metrics

  /** Every sample of {@code /metrics} as "name{label=value,...}" (labels sorted) to its value. */
  private static Map<String, Double> scrape(Map<String, String> types) throws Exception {
    HttpResponse<String> response = pipeline.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    Path python = Path.of("/usr/bin/python3");
    assertThat(python).as("the metrics test needs Debian's python3 with python3-prometheus-client (.ci/run installs it)")
        .isExecutable();
    Process parser = new ProcessBuilder(python.toString(), "-c", PARSER).redirectErrorStream(true).start();
    parser.getOutputStream().write(response.body().getBytes(StandardCharsets.UTF_8));
    parser.getOutputStream().close();
    String out = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(parser.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(parser.exitValue()).as("the Prometheus parser rejected /metrics: " + out).isZero();
    Map<String, Double> samples = new HashMap<>();
    for (JsonNode family : JSON.readTree(out)) {
      types.put(family.get("name").asText(), family.get("type").asText());
      assertThat(family.get("help").asText()).as("help of " + family.get("name")).isNotEmpty();
      for (JsonNode sample : family.get("samples")) {
        StringBuilder key = new StringBuilder(sample.get("name").asText());
        List<String> labels = new java.util.ArrayList<>();
        sample.get("labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        labels.sort(null);
        if (!labels.isEmpty()) {
          key.append('{').append(String.join(",", labels)).append('}');
        }
        samples.put(key.toString(), Double.valueOf(sample.get("value").asText().replace("inf", "Infinity")));
      }
    }
    return samples;
  }

  @Test
  void metricsParseAsPrometheusTextWithTheListenersValues() throws Exception {
    Map<String, String> types = new HashMap<>();
    Map<String, Double> samples = scrape(types);
    assertThat(types).containsEntry("tributary_batches_completed", "counter")
        .containsEntry("tributary_batch_processing_seconds", "histogram")
        .containsEntry("tributary_batch_total_delay_seconds", "histogram")
        .containsEntry("tributary_scheduling_delay_seconds", "gauge")
        .containsEntry("tributary_input_records", "counter")
        .containsEntry("tributary_receiver_restarts", "counter")
        .containsEntry("tributary_receiver_buffered_bytes", "gauge")
        .containsEntry("tributary_input_rate_limit_records_per_second", "gauge");
    assertThat(samples.get("tributary_input_records_total{stream=steady,stream_id=0}"))
        .isEqualTo((double) Pipeline.totalRecords());
    assertThat(samples.get("tributary_receiver_restarts_total{stream=steady,stream_id=0}"))
        .isEqualTo((double) pipeline.receiverStarts.get() - 1).isEqualTo(1.0);
    assertThat(samples.get("tributary_receiver_active{stream=steady,stream_id=0}")).isEqualTo(1.0);
    assertThat(samples.get("tributary_receiver_buffered_limit_bytes")).isEqualTo((double) pipeline.ssc.maxBufferedBytes());
    assertThat(samples.get("tributary_batches_failed_total")).isZero();
    assertThat(samples.get("tributary_output_operation_seconds_count{output_op=foreachRDD,output_op_id=1}")).isPositive();
    // counters, histograms and the listener move every batch: compare within one scrape, retried
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Map<String, Double> now = scrape(new HashMap<>());
      double completed = now.get("tributary_batches_completed_total");
      assertThat(now.get("tributary_batch_processing_seconds_count")).isEqualTo(completed);
      assertThat(now.get("tributary_batch_processing_seconds_bucket{le=+Inf}")).isEqualTo(completed);
      assertThat(completed).isLessThanOrEqualTo(pipeline.batches.size()).isGreaterThanOrEqualTo(5);
      assertThat(now.get("tributary_input_rate_limit_records_per_second{stream=steady,stream_id=0}"))
          .isEqualTo(pipeline.ssc.inputStreams().get(0).rateLimit());
    });
  }

  // ---------------------------------------------------------------- the page

  private static final Pattern CHART = Pattern.compile(
      "<div id=\"chart-(\\w+)\" data-chart=\"\\w+\"[^>]*?data-points=\"(\\d+)\" data-rect=\"(\\d+),(\\d+),(\\d+),(\\d+)\"");

  @Test
  void theStreamingPageDrawsEveryChartWithData(@TempDir Path work) throws Exception {
    String dom = Chromium.dumpDom(pipeline.url(), 6000, work);
    assertThat(dom).contains("data-ready=\"true\"").contains("Steady").contains("Recent batches");
    assertThat(dom).as("the receiver's restart is shown").containsPattern("<td>Steady</td><td class=\"ok\">active</td><td class=\"num\">1</td>");
    Matcher charts = CHART.matcher(dom);
    Map<String, int[]> rects = new HashMap<>();
    while (charts.find()) {
      assertThat(Integer.parseInt(charts.group(2))).as(charts.group(1) + " points").isGreaterThanOrEqualTo(5);
      rects.put(charts.group(1), new int[] {Integer.parseInt(charts.group(3)), Integer.parseInt(charts.group(4)),
          Integer.parseInt(charts.group(5)), Integer.parseInt(charts.group(6))});
    }
    assertThat(rects).containsOnlyKeys("inputRate", "schedulingDelay", "processingTime", "totalDelay");

    Path png = Chromium.screenshot(pipeline.url(), 6000, work);
    Files.createDirectories(Path.of("target"));
    Files.copy(png, Path.of("target/streaming-page.png"), StandardCopyOption.REPLACE_EXISTING);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(Chromium.WIDTH);
    for (Map.Entry<String, int[]> chart : rects.entrySet()) {
      int[] r = chart.getValue();
      assertThat(r[1] + r[3]).as(chart.getKey() + " lies inside the screenshot").isLessThanOrEqualTo(image.getHeight());
      assertThat(colouredPixels(image, r)).as("pixels of the series colour in the " + chart.getKey() + " chart")
          .isGreaterThan(100);
    }
    assertThat(colouredPixels(image, new int[] {Chromium.WIDTH - 14, 150, 14, 450}))
        .as("the page's right margin beside the charts, a control: none").isZero();
  }

  @Test
  void theBatchPageShowsOneBatch(@TempDir Path work) throws Exception {
    long id = pipeline.batches.stream().filter(b -> b.numRecords() > 0).reduce((a, b) -> b).orElseThrow()
        .batchTime().milliseconds();
    String dom = Chromium.dumpDom(pipeline.url().resolve("/batch?id=" + id), 3000, work);
    assertThat(dom).contains("data-ready=\"true\"").contains("foreachRDD").contains("succeeded");
  }

  /** Pixels in {@code rect} (x, y, w, h) of a saturated colour: drawn series, not text, grid or background. */
  private static int colouredPixels(BufferedImage image, int[] rect) {
    int n = 0;
    for (int y = rect[1]; y < Math.min(rect[1] + rect[3], image.getHeight()); y++) {
      for (int x = rect[0]; x < Math.min(rect[0] + rect[2], image.getWidth()); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          n++;
        }
      }
    }
    return n;
  }
}
