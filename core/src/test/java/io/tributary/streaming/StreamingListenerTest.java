package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.streaming.ReceiverSupervisionTest.ManualReceiver;
import io.tributary.streaming.StreamingTests.RecordingListener;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchStarted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerEvent;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerStreamingStarted;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class StreamingListenerTest {

  private static Time timeOf(StreamingListenerEvent e) {
    if (e instanceof StreamingListenerBatchSubmitted s) {
      return s.batchInfo().batchTime();
    }
    if (e instanceof StreamingListenerBatchStarted s) {
      return s.batchInfo().batchTime();
    }
    if (e instanceof StreamingListenerBatchCompleted c) {
      return c.batchInfo().batchTime();
    }
    if (e instanceof StreamingListenerOutputOperationStarted o) {
      return o.outputOperationInfo().batchTime();
    }
    if (e instanceof StreamingListenerOutputOperationCompleted o) {
      return o.outputOperationInfo().batchTime();
    }
    return null;
  }

  private static int indexOf(List<StreamingListenerEvent> events, Predicate<StreamingListenerEvent> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void batchEventsArriveInOrderWithRecordCountsDelaysAndOutputOperations() {
    RecordingListener listener = new RecordingListener();
    List<Time> batchTimes = new ArrayList<>();
    try (StreamingTestDriver driver = new StreamingTestDriver(conf("local[2]"), Durations.seconds(1))) {
      StreamingContext ssc = driver.context();
      ssc.addStreamingListener(listener);
      ManualReceiver receiver = new ManualReceiver();
      DStream<Integer> stream = ssc.receiverStream(receiver);
      stream.foreachRDD(rdd -> rdd.count());
      stream.map(i -> i * 10).print();
      driver.start();
      eventually().until(receiver::isStarted);

      receiver.store(List.of(1, 2, 3));
      batchTimes.add(driver.advance());
      receiver.store(List.of(4));
      receiver.store(List.of(5, 6));
      receiver.store(List.of(7));
      batchTimes.add(driver.advance());
      batchTimes.add(driver.advance());
    }
    List<StreamingListenerEvent> events = List.copyOf(listener.events);

    assertThat(listener.of(StreamingListenerStreamingStarted.class)).hasSize(1);
    assertThat(listener.of(StreamingListenerReceiverStarted.class)).hasSize(1);
    int started = indexOf(events, e -> e instanceof StreamingListenerStreamingStarted);
    assertThat(events.subList(0, started)).noneMatch(e -> timeOf(e) != null);

    List<BatchInfo> completed = listener.completedBatches();
    assertThat(completed).extracting(BatchInfo::batchTime).containsExactlyElementsOf(batchTimes);
    assertThat(completed).extracting(BatchInfo::numRecords).containsExactly(3L, 4L, 0L);

    for (Time t : batchTimes) {
      int submitted = indexOf(events, e -> e instanceof StreamingListenerBatchSubmitted && t.equals(timeOf(e)));
      int begun = indexOf(events, e -> e instanceof StreamingListenerBatchStarted && t.equals(timeOf(e)));
      int done = indexOf(events, e -> e instanceof StreamingListenerBatchCompleted && t.equals(timeOf(e)));
      assertThat(submitted).as("submitted of %s", t).isNotNegative();
      assertThat(begun).as("started of %s", t).isGreaterThan(submitted);
      assertThat(done).as("completed of %s", t).isGreaterThan(begun);
      List<StreamingListenerEvent> ops = events.stream()
          .filter(e -> (e instanceof StreamingListenerOutputOperationStarted
              || e instanceof StreamingListenerOutputOperationCompleted) && t.equals(timeOf(e)))
          .toList();
      assertThat(ops).hasSize(4).allSatisfy(e -> assertThat(events.indexOf(e)).isBetween(begun, done));
      BatchInfo submittedInfo = ((StreamingListenerBatchSubmitted) events.get(submitted)).batchInfo();
      assertThat(submittedInfo.processingStartTime()).isEmpty();
      assertThat(submittedInfo.totalDelay()).isEmpty();
    }

    for (BatchInfo info : completed) {
      long scheduling = info.schedulingDelay().orElseThrow();
      long processing = info.processingDelay().orElseThrow();
      assertThat(scheduling).isNotNegative();
      assertThat(processing).isNotNegative();
      assertThat(info.totalDelay()).contains(scheduling + processing);
      assertThat(info.hasFailure()).isFalse();
      assertThat(info.outputOperationInfos()).containsOnlyKeys(0, 1);
      OutputOperationInfo foreach = info.outputOperationInfos().get(0);
      OutputOperationInfo print = info.outputOperationInfos().get(1);
      assertThat(foreach.name()).isEqualTo("foreachRDD");
      assertThat(print.name()).isEqualTo("print");
      assertThat(foreach.description()).startsWith("foreachRDD");
      assertThat(List.of(foreach, print)).allSatisfy(op -> {
        assertThat(op.batchTime()).isEqualTo(info.batchTime());
        assertThat(op.duration()).hasValueSatisfying(d -> assertThat(d).isNotNegative());
        assertThat(op.failureReason()).isEmpty();
      });
    }
  }

  @Test
  void aFailingOutputOperationIsReportedWithItsCauseAndUnderSkipLaterBatchesRun() {
    RecordingListener listener = new RecordingListener();
    StreamingConf skip = conf("local[2]").set("streaming.batch.onFailure", "skip");
    try (StreamingTestDriver driver = new StreamingTestDriver(skip, Durations.seconds(1))) {
      StreamingContext ssc = driver.context();
      ssc.addStreamingListener(listener);
      DStream<Integer> stream = driver.<Integer>input().stream();
      stream.foreachRDD((rdd, time) -> {
        if (time.milliseconds() == 1000) {
          throw new IllegalStateException("sink unavailable");
        }
      });
      driver.start();
      driver.advance(2);
    }

    List<BatchInfo> completed = listener.completedBatches();
    assertThat(completed).hasSize(2);
    assertThat(completed.get(0).hasFailure()).isTrue();
    assertThat(completed.get(0).outputOperationInfos().get(0).failureReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("sink unavailable"));
    assertThat(completed.get(1).hasFailure()).isFalse();
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    RecordingListener listener = new RecordingListener();
    try (StreamingTestDriver driver = new StreamingTestDriver(conf("local[2]"), Durations.seconds(1))) {
      StreamingContext ssc = driver.context();
      ssc.addStreamingListener(new io.tributary.streaming.scheduler.StreamingListener() {
        @Override
        public void onBatchCompleted(StreamingListenerBatchCompleted e) {
          throw new IllegalStateException("listener bug");
        }
      });
      ssc.addStreamingListener(listener);
      driver.collect(driver.<Integer>input().stream());
      driver.start();
      driver.advance(2);
    }
    assertThat(listener.completedBatches()).hasSize(2);
  }
}
