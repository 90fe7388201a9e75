package io.tributary.rdd;

import static io.tributary.rdd.RddTransformationsTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RddPersistenceTest extends RddContextFixture {
  static final AtomicInteger COMPUTED = new AtomicInteger();



  @BeforeEach
  void reset() {
    COMPUTED.set(0);
  }

  /** Three partitions whose computation is counted, once per partition. */
  private static Rdd<Integer> countedPartitions() {
    return sc.parallelize(range(1, 9), 3)
        .mapPartitions(
            it -> {
              COMPUTED.incrementAndGet();
              return it;
            });
  }

  /** A mutable, non-record element: Kryo must copy its fields. */
  static final class Box {
    int value;
    List<String> tags = new ArrayList<>();

    Box(int value, String tag) {
      this.value = value;
      tags.add(tag);
    }
  }

  @Test
  void memoryOnlyComputesEachPartitionOnceAcrossTwoActions() {
    Rdd<Integer> cached = countedPartitions().persist(StorageLevel.MEMORY_ONLY);
    assertThat(cached.count()).isEqualTo(9);
    assertThat(cached.collect()).containsExactlyElementsOf(range(1, 9));
    assertThat(COMPUTED.get()).isEqualTo(3);
  }

  @Test
  void withoutPersistEachActionRecomputes() {
    Rdd<Integer> plain = countedPartitions();
    plain.count();
    plain.count();
    assertThat(COMPUTED.get()).isEqualTo(6);
  }

  @Test
  void cacheIsMemoryOnly() {
    Rdd<Integer> cached = countedPartitions().cache();
    assertThat(cached.getStorageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY);
    cached.count();
    cached.count();
    assertThat(COMPUTED.get()).isEqualTo(3);
  }

  @Test
  void persistedParentIsReusedByChildren() {
    Rdd<Integer> cached = countedPartitions().persist();
    assertThat(cached.map(x -> x * 2).reduce(Integer::sum)).isEqualTo(90);
    assertThat(cached.filter(x -> x > 5).count()).isEqualTo(4);
    assertThat(COMPUTED.get()).isEqualTo(3);
  }

  @Test
  void isFullyCachedOnlyAfterEveryPartitionWasComputed() {
    Rdd<Integer> cached = countedPartitions().persist();
    assertThat(cached.isFullyCached()).isFalse();
    cached.take(1);
    assertThat(cached.isFullyCached()).isFalse();
    cached.count();
    assertThat(cached.isFullyCached()).isTrue();
  }

  @Test
  void takeCachesOnlyThePartitionsItRead() {
    Rdd<Integer> cached = countedPartitions().persist();
    cached.take(1);
    assertThat(COMPUTED.get()).isEqualTo(1);
    cached.count();
    assertThat(COMPUTED.get()).isEqualTo(3);
  }

  @Test
  void memoryOnlySerRoundTripsRecordsThroughKryo() {
    Rdd<Tuple2<String, List<Integer>>> rdd =
        sc.parallelize(
                List.of(new Tuple2<>("a", List.of(1, 2)), new Tuple2<>("b", List.<Integer>of())), 2)
            .mapPartitions(
                it -> {
                  COMPUTED.incrementAndGet();
                  return it;
                })
            .persist(StorageLevel.MEMORY_ONLY_SER);
    List<Tuple2<String, List<Integer>>> first = rdd.collect();
    List<Tuple2<String, List<Integer>>> second = rdd.collect();
    assertThat(first)
        .containsExactly(new Tuple2<>("a", List.of(1, 2)), new Tuple2<>("b", List.of()));
    assertThat(second).isEqualTo(first);
    assertThat(COMPUTED.get()).isEqualTo(2);
  }

  @Test
  void memoryOnlySerHandsOutCopiesSoMutationsDoNotReachTheCache() {
    Rdd<Box> boxes =
        sc.parallelize(List.of(1, 2), 1).map(i -> new Box(i, "t" + i)).persist(StorageLevel.MEMORY_ONLY_SER);
    boxes.foreach(b -> b.value = -1);
    List<Box> read = boxes.collect();
    assertThat(read).extracting(b -> b.value).containsExactly(1, 2);
    assertThat(read).extracting(b -> b.tags).containsExactly(List.of("t1"), List.of("t2"));
  }

  @Test
  void memoryOnlyHandsOutTheSameObjects() {
    Rdd<Box> boxes = sc.parallelize(List.of(1), 1).map(i -> new Box(i, "t")).persist(StorageLevel.MEMORY_ONLY);
    Box first = boxes.first();
    Box again = boxes.first();
    assertThat(again).isSameAs(first);
  }

  @Test
  void memoryAndDiskKeepsPartitionsLikeMemoryOnly() {
    Rdd<Integer> cached = countedPartitions().persist(StorageLevel.MEMORY_AND_DISK);
    cached.count();
    assertThat(cached.collect()).containsExactlyElementsOf(range(1, 9));
    assertThat(COMPUTED.get()).isEqualTo(3);
  }

  @Test
  void unpersistMakesTheNextActionRecompute() {
    Rdd<Integer> cached = countedPartitions().persist();
    cached.count();
    cached.unpersist();
    assertThat(cached.getStorageLevel()).isEqualTo(StorageLevel.NONE);
    cached.count();
    assertThat(COMPUTED.get()).isEqualTo(6);
  }

  @Test
  void persistAgainAfterUnpersistCachesAgain() {
    Rdd<Integer> rdd = countedPartitions().persist();
    rdd.count();
    rdd.unpersist().persist(StorageLevel.MEMORY_ONLY_SER);
    rdd.count();
    rdd.count();
    assertThat(COMPUTED.get()).isEqualTo(6);
  }

  @Test
  void changingTheLevelWithoutUnpersistFailsClearly() {
    Rdd<Integer> rdd = countedPartitions().persist(StorageLevel.MEMORY_ONLY);
    assertThatThrownBy(() -> rdd.persist(StorageLevel.MEMORY_ONLY_SER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MEMORY_ONLY")
        .hasMessageContaining("MEMORY_ONLY_SER")
        .hasMessageContaining("unpersist");
    assertThat(rdd.getStorageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY);
  }

  @Test
  void persistingTwiceAtTheSameLevelIsAllowed() {
    Rdd<Integer> rdd = countedPartitions().persist(StorageLevel.MEMORY_ONLY);
    assertThat(rdd.persist(StorageLevel.MEMORY_ONLY).getStorageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY);
  }

  @Test
  void aNewDatasetIsNotPersisted() {
    assertThat(sc.parallelize(List.of(1), 1).getStorageLevel()).isEqualTo(StorageLevel.NONE);
  }

  @Test
  void toDebugStringShowsTheStorageLevel() {
    Rdd<Integer> rdd = countedPartitions().persist(StorageLevel.MEMORY_ONLY_SER);
    assertThat(rdd.toDebugString().lines().findFirst().orElseThrow()).endsWith("MEMORY_ONLY_SER");
  }

  @Test
  void aPersistedShuffleOutputIsNotRecomputed() {
    PairRdd<Integer, Integer> reduced =
        countedPartitions().mapToPair(x -> new Tuple2<>(x % 2, x)).reduceByKey(Integer::sum, 2);
    reduced.persist();
    assertThat(reduced.collectAsMap()).containsEntry(0, 20).containsEntry(1, 25);
    assertThat(reduced.count()).isEqualTo(2);
    assertThat(COMPUTED.get()).isEqualTo(3);
  }

  @Test
  void aFailedComputationCachesNothing() {
    AtomicInteger calls = COMPUTED;
    Rdd<Integer> flaky =
        sc.parallelize(range(1, 2), 1)
            .map(x -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first time fails");
              }
              return x;
            })
            .persist();
    assertThatThrownBy(flaky::collect).isInstanceOf(io.tributary.JobFailedException.class);
    assertThat(flaky.collect()).containsExactly(1, 2);
  }
}
