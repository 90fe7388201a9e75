package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Resources;
import io.tributary.StreamingConf;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job-local properties seen by tasks, and resources owned by a context and closed with it. */
class LocalPropertiesAndResourcesTest extends RddContextFixture {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();

  @Test
  void tasksOfEveryStageSeeTheLocalPropertiesOfTheSubmittingThreadOnly() throws Exception {
    PairRdd<Integer, Integer> pairs = sc.parallelizePairs(
        List.of(Tuple2.of(1, 1), Tuple2.of(2, 2), Tuple2.of(3, 3), Tuple2.of(4, 4)), 2);
    // the map runs in the shuffle map stage, the foreach in the result stage
    PairRdd<Integer, Integer> shuffled = pairs.mapToPair(kv -> {
      SEEN.add("map:" + TaskContext.get().getLocalProperty("job.tag"));
      return kv;
    }).reduceByKey(Integer::sum);

    SEEN.clear();
    sc.setLocalProperty("job.tag", "mine");
    try {
      assertThat(sc.getLocalProperty("job.tag")).isEqualTo("mine");
      shuffled.foreach(kv -> SEEN.add("result:" + TaskContext.get().getLocalProperty("job.tag")));
      // another thread submits a job at the same time as this one's property is set
      CompletableFuture.runAsync(() -> pairs.foreach(kv -> SEEN.add("other:" + TaskContext.get().getLocalProperty(
          "job.tag")))).get();
    } finally {
      sc.setLocalProperty("job.tag", null);
    }
    pairs.foreach(kv -> SEEN.add("after:" + TaskContext.get().getLocalProperty("job.tag")));

    assertThat(SEEN).containsOnly("map:mine", "result:mine", "other:null", "after:null");
    assertThat(SEEN).filteredOn(s -> s.startsWith("map:")).hasSize(4);
    assertThat(SEEN).filteredOn(s -> s.startsWith("result:")).hasSize(4);
    assertThat(SEEN).filteredOn(s -> s.startsWith("other:")).hasSize(4);
    assertThat(sc.getLocalProperty("job.tag")).isNull();
  }

  @Test
  void aSourceReaderCanReadLessForOneJobWhileTheDatasetStaysTheSameForOthers() {
    // the way the Kafka sink resumes a partly written range: the plan travels as a property
    Rdd<Integer> source = sc.fromSplits(List.of(10, 20), split -> {
      String from = TaskContext.get().getLocalProperty("start." + split);
      return IntStream.range(from == null ? split : Integer.parseInt(from), split + 5).boxed().iterator();
    });
    Rdd<Integer> doubled = source.map(x -> x * 2);

    sc.setLocalProperty("start.10", "13");
    List<Integer> trimmed;
    try {
      trimmed = doubled.collect();
    } finally {
      sc.setLocalProperty("start.10", null);
    }

    assertThat(trimmed).containsExactly(26, 28, 40, 42, 44, 46, 48);
    assertThat(doubled.collect()).containsExactly(20, 22, 24, 26, 28, 40, 42, 44, 46, 48);
    assertThat(source.count()).isEqualTo(10);
  }

  @Test
  void aCheckpointWrittenAfterAJobWithPropertiesHoldsTheWholeDataset(@TempDir Path dir) {
    try (RddContext context = new RddContext(new StreamingConf().setMaster("local[2]"))) {
      context.setCheckpointDir(dir.toString());
      Rdd<Integer> source = context.fromSplits(List.of(10), split -> {
        String from = TaskContext.get().getLocalProperty("start");
        return IntStream.range(from == null ? split : Integer.parseInt(from), split + 5).boxed().iterator();
      });
      source.checkpoint();
      context.setLocalProperty("start", "14");
      try {
        assertThat(source.collect()).containsExactly(14);
      } finally {
        context.setLocalProperty("start", null);
      }
      assertThat(source.isCheckpointed()).isTrue();
      context.setLocalProperty("start", "12"); // read from the checkpoint now, not the source
      try {
        assertThat(source.collect()).containsExactly(10, 11, 12, 13, 14);
      } finally {
        context.setLocalProperty("start", null);
      }
    }
  }

  /** A resource that records its closing. */
  static final class Tracked implements AutoCloseable {
    static final Queue<String> CLOSED = new ConcurrentLinkedQueue<>();
    final String name;

    Tracked(String name) {
      this.name = name;
    }

    @Override
    public void close() {
      CLOSED.add(name);
      if (name.equals("failing")) {
        throw new IllegalStateException("cannot close");
      }
    }
  }

  @Test
  void resourcesAreMadeOnceSharedWithTheTasksAndClosedNewestFirstWhenTheContextCloses() {
    Tracked.CLOSED.clear();
    RddContext context = new RddContext(new StreamingConf().setMaster("local[2]"));
    Tracked first;
    try {
      first = context.resource("first", Tracked.class, () -> new Tracked("first"));
      assertThat(context.resource("first", Tracked.class, () -> new Tracked("again"))).isSameAs(first);
      context.resource("failing", Tracked.class, () -> new Tracked("failing"));

      List<String> inTasks = context.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
        Resources resources = TaskContext.get().resources();
        Tracked shared = resources.get("first", Tracked.class, () -> new Tracked("made in a task"));
        return shared.name + "/" + resources.get("last", Tracked.class, () -> new Tracked("last")).name;
      }).collect();
      assertThat(inTasks).containsOnly("first/last").hasSize(4);

      assertThatThrownBy(() -> context.resource("first", Resources.class, () -> new Resources("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Resource 'first'")
          .hasMessageContaining(Tracked.class.getName());
      assertThat(Tracked.CLOSED).isEmpty();
    } finally {
      context.close();
    }

    // newest first; the failure of one does not keep the others open
    assertThat(new ArrayList<>(Tracked.CLOSED)).containsExactly("last", "failing", "first");
    assertThatThrownBy(() -> context.resource("first", Tracked.class, () -> new Tracked("late")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    context.close();
    assertThat(Tracked.CLOSED).hasSize(3);
  }

  @Test
  void aTaskStartedOutsideADatasetJobHasNoResources() {
    TaskContext bare = new TaskContext(0, 0, 0, 0);
    assertThat(bare.getLocalProperty("any")).isNull();
    assertThatThrownBy(bare::resources)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without shared resources");
  }
}
