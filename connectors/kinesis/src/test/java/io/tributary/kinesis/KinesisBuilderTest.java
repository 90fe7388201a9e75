package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Durations;
import io.tributary.StorageLevel;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.common.InitialPositionInStream;

/** {@code build()} checks every option and names the one that is wrong; the defaults are Spark's. */
class KinesisBuilderTest {
  private StreamingContext ssc;

  @BeforeEach
  void context() {
    ssc = new StreamingContext(new StreamingConf().setMaster("local[1]").setAppName("builder"), Durations.seconds(2));
  }

  @AfterEach
  void close() {
    ssc.stop();
  }

  private KinesisInputDStream.Builder valid() {
    return KinesisInputDStream.builder().streamingContext(ssc).streamName("clicks").checkpointAppName("counter");
  }

  private void fails(UnaryOperator<KinesisInputDStream.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void requiredOptionsAreNamed() {
    assertThatThrownBy(() -> KinesisInputDStream.builder().streamName("s").checkpointAppName("app").build())
        .hasMessage("streamingContext is required: call .streamingContext(ssc)");
    fails(b -> b.streamName(null), "streamName is required: call .streamName(...)");
    fails(b -> b.checkpointAppName(" "), "checkpointAppName is required");
    fails(b -> b.regionName(null), "regionName is required");
  }

  @Test
  void badValuesAreNamedWithWhatIsExpected() {
    fails(b -> b.streamName("has space"), "streamName 'has space' is not a Kinesis stream name");
    fails(b -> b.checkpointAppName("ab"), "checkpointAppName 'ab' cannot name a DynamoDB table");
    fails(b -> b.regionName("US East"), "regionName 'US East' is not an AWS region name");
    fails(b -> b.endpointUrl("kinesis.local:4567"), "endpointUrl 'kinesis.local:4567' is not an http(s) URL");
    fails(b -> b.dynamoDBEndpointUrl("ftp://x"), "dynamoDBEndpointUrl 'ftp://x'");
    fails(b -> b.cloudWatchEndpointUrl("http://"), "cloudWatchEndpointUrl");
    fails(b -> b.checkpointInterval(Durations.milliseconds(0)), "checkpointInterval must be a positive duration");
    fails(b -> b.pollingInterval(null), "pollingInterval must be a positive duration");
    fails(b -> b.failoverTime(Durations.milliseconds(0)), "failoverTime must be a positive duration");
    fails(b -> b.shardSyncInterval(null), "shardSyncInterval must be a positive duration");
    fails(b -> b.maxRecordsPerFetch(10_001), "maxRecordsPerFetch must be between 1 and 10000");
    fails(b -> b.initialPosition(null), "initialPosition must not be null");
    fails(b -> b.storageLevel(null), "storageLevel must not be null");
    fails(b -> b.kinesisCredentials(null), "kinesisCredentials must not be null");
    fails(b -> b.metricsLevel(null), "metricsLevel must not be null");
    fails(b -> b.retrieval(null), "retrieval must not be null");
    fails(b -> b.workerId(""), "workerId must not be blank");
    assertThatThrownBy(() -> valid().buildWithMessageHandler(null)).hasMessage("messageHandler must not be null");
    assertThatThrownBy(() -> KinesisCredentials.basic("id", "")).hasMessageContaining("secret key");
  }

  @Test
  void defaultsFollowSparkAndTheBatchInterval() throws Exception {
    KinesisInputDStream<byte[]> stream = valid().build();
    KinesisReceiver<?> receiver = (KinesisReceiver<?>) stream.getReceiver();
    KinesisSettings s = receiver.settings();
    assertThat(stream.streamName()).isEqualTo("clicks");
    assertThat(s.checkpointInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(s.regionName()).isEqualTo("us-east-1");
    assertThat(s.initialPosition()).isEqualTo(KinesisInitialPosition.latest());
    assertThat(s.storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK_2);
    assertThat(s.retrieval()).isEqualTo(KinesisRetrieval.POLLING);
    assertThat(s.dynamoDBCredentials()).isSameAs(s.kinesisCredentials());
    assertThat(s.kinesisEndpoint()).isNull();
    // the receiver travels in the metadata checkpoint
    new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(receiver);
  }

  @Test
  void initialPositionsMapToKcl() {
    assertThat(KinesisInitialPosition.trimHorizon().toKcl().getInitialPositionInStream())
        .isEqualTo(InitialPositionInStream.TRIM_HORIZON);
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    KinesisInitialPosition atTimestamp = KinesisInitialPosition.atTimestamp(at);
    assertThat(atTimestamp.toKcl().getTimestamp()).isEqualTo(java.util.Date.from(at));
    assertThat(atTimestamp.timestamp()).contains(at);
    assertThat(KinesisInitialPosition.latest().timestamp()).isEmpty();
  }
}
