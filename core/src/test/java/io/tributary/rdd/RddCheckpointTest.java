package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.Tuple2;
import io.tributary.StreamingConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RddCheckpointTest {
  static final AtomicInteger COMPUTED = new AtomicInteger();

  @TempDir Path dir;

  @Test
  void aCheckpointedDatasetIsReadFromItsFilesWithoutLineage() throws Exception {
    try (RddContext sc = new RddContext(new StreamingConf().setMaster("local[2]"))) {
      sc.setCheckpointDir(dir.toString());
      COMPUTED.set(0);
      PairRdd<String, Integer> counts =
          sc.parallelize(List.of("a", "b", "a", "c"), 2)
              .map(w -> {
                COMPUTED.incrementAndGet();
                return w;
              })
              .mapToPair(w -> new Tuple2<>(w, 1))
              .reduceByKey(Integer::sum, new HashPartitioner(3));
      counts.checkpoint();
      assertThat(counts.isCheckpointed()).isFalse();

      assertThat(counts.collectAsMap()).containsOnly(
          java.util.Map.entry("a", 2), java.util.Map.entry("b", 1), java.util.Map.entry("c", 1));

      assertThat(counts.isCheckpointed()).isTrue();
      assertThat(counts.dependencies()).isEmpty();
      assertThat(counts.numPartitions()).isEqualTo(3);
      assertThat(counts.partitioner()).contains(new HashPartitioner(3));
      Path files = Path.of(java.net.URI.create(counts.getCheckpointFile().orElseThrow()));
      try (var listed = Files.list(files)) {
        assertThat(listed.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("part-00000", "part-00001", "part-00002");
      }
      int computedBefore = COMPUTED.get();
      assertThat(counts.collectAsMap()).containsEntry("a", 2).hasSize(3);
      assertThat(COMPUTED.get()).as("read from the checkpoint, not recomputed").isEqualTo(computedBefore);
    }
  }

  @Test
  void checkpointWithoutADirectoryFailsSayingHowToSetOne() {
    try (RddContext sc = new RddContext(new StreamingConf().setMaster("local[1]"))) {
      assertThatThrownBy(() -> sc.parallelize(List.of(1)).checkpoint())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("setCheckpointDir");
    }
  }
}
