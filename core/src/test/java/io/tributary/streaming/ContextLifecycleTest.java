package io.tributary.streaming;

import io.tributary.Durations;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.eventually;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.rdd.Rdd;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextLifecycleTest {
  private StreamingContext ssc;
  private StreamingContext other;

  @AfterEach
  void tearDown() {
    stopQuietly(other);
    stopQuietly(ssc);
  }

  private static StreamingContext newContext() {
    return new StreamingContext(conf("local[2]"), Durations.milliseconds(100));
  }

  private static DStream<Integer> queueStream(StreamingContext ssc) {
    Queue<Rdd<Integer>> queue = new ArrayDeque<>();
    return ssc.queueStream(queue);
  }

  private static StreamingContext startedContext() {
    StreamingContext ssc = newContext();
    queueStream(ssc).foreachRDD(rdd -> rdd.count());
    ssc.start();
    return ssc;
  }

  @Test
  void aNewStreamCannotBeDefinedAfterStart() {
    ssc = startedContext();

    assertThatThrownBy(() -> queueStream(ssc))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot create a new stream after the StreamingContext was started")
        .hasMessageContaining("before start()");
    assertThatThrownBy(() -> ssc.socketTextStream("127.0.0.1", 9999))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot create a new stream");
  }

  @Test
  void aNewOutputOperationCannotBeAddedAfterStart() {
    ssc = newContext();
    DStream<Integer> stream = queueStream(ssc);
    stream.foreachRDD(rdd -> rdd.count());
    ssc.start();

    assertThatThrownBy(stream::print)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot add an output operation (print) after the StreamingContext was started")
        .hasMessageContaining("define all streams and output operations before start()");
    assertThatThrownBy(() -> stream.map(i -> i + 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot create a new stream");
  }

  @Test
  void startFailsWithoutAnOutputOperation() {
    ssc = newContext();
    queueStream(ssc).map(i -> i * 2);

    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No output operations registered")
        .hasMessageContaining("print(), foreachRDD(...)");
    assertThat(StreamingContext.getActive()).isEmpty();
  }

  @Test
  void aStoppedContextCannotBeStartedAgain() {
    ssc = startedContext();
    ssc.stop();

    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already been stopped and cannot be restarted: create a new one");
  }

  @Test
  void aContextStoppedBeforeStartCannotBeStarted() {
    ssc = newContext();
    queueStream(ssc).print();
    ssc.stop();

    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be restarted");
  }

  @Test
  void startingTwiceFails() {
    ssc = startedContext();

    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already been started");
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void onlyOneContextMayBeActiveInAJvm() {
    ssc = startedContext();
    other = newContext();
    queueStream(other).print();

    assertThatThrownBy(other::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Only one StreamingContext may be active in a JVM")
        .hasMessageContaining("stop it before starting this one");
    assertThat(other.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    assertThat(StreamingContext.getActive()).containsSame(ssc);

    ssc.stop();
    other.start();
    assertThat(StreamingContext.getActive()).containsSame(other);
  }

  @Test
  void getStateMovesFromInitializedToActiveToStopped() {
    ssc = newContext();
    queueStream(ssc).print();
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    assertThat(StreamingContext.getActive()).isEmpty();

    ssc.start();
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);
    assertThat(StreamingContext.getActive()).containsSame(ssc);

    ssc.stop();
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(StreamingContext.getActive()).isEmpty();
    ssc.stop(); // stopping again does nothing
    ssc.stop(true);
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
  }

  @Test
  void awaitTerminationOrTimeoutIsFalseWhileRunningAndTrueOnceStopped() throws Exception {
    ssc = startedContext();

    assertThat(ssc.awaitTerminationOrTimeout(50)).isFalse();
    CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
      try {
        ssc.awaitTermination();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waiter).isNotDone();
    ssc.stop();

    assertThat(ssc.awaitTerminationOrTimeout(0)).isTrue();
    waiter.get(10, TimeUnit.SECONDS);
  }

  @Test
  void batchesRunOnTheWallClockUntilStopped() {
    ssc = newContext();
    AtomicInteger batches = new AtomicInteger();
    queueStream(ssc).foreachRDD(rdd -> batches.incrementAndGet());
    ssc.start();

    eventually().until(() -> batches.get() >= 3);
    ssc.stop();
    int afterStop = batches.get();

    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
    // no timer left behind: while a new context runs batches, the stopped one runs none
    other = newContext();
    AtomicInteger otherBatches = new AtomicInteger();
    queueStream(other).foreachRDD(rdd -> otherBatches.incrementAndGet());
    other.start();
    eventually().until(() -> otherBatches.get() >= 3);
    assertThat(batches.get()).isEqualTo(afterStop);
  }

  @Test
  void stopGracefullyOnShutdownRegistersAHookThatTheStopRemoves() throws Exception {
    ssc = new StreamingContext(
        conf("local[2]").set("streaming.stopGracefullyOnShutdown", "true"), Durations.milliseconds(100));
    queueStream(ssc).print();
    ssc.start();

    java.lang.reflect.Field field = StreamingContext.class.getDeclaredField("shutdownHook");
    field.setAccessible(true);
    Thread hook = (Thread) field.get(ssc);
    assertThat(hook).isNotNull();
    // registering the same hook again fails only while it is registered
    assertThatThrownBy(() -> Runtime.getRuntime().addShutdownHook(hook))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("previously registered");

    ssc.stop(true);

    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isFalse();
  }

  @Test
  void closeStopsTheContext() {
    try (StreamingContext closing = startedContext()) {
      ssc = closing;
    }
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(StreamingContext.getActive()).isEmpty();
  }
}
