package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.StreamingConf;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every null argument of the public API fails at once with a message naming the argument. */
class RddArgumentsTest extends RddContextFixture {
  private static Rdd<Integer> rdd;
  private static PairRdd<String, Integer> pairs;

  @BeforeAll
  static void start() {
    sc = new RddContext(new StreamingConf().setMaster("local[2]"));
    rdd = sc.parallelize(List.of(1, 2, 3), 2);
    pairs = sc.parallelizePairs(List.of(new Tuple2<>("a", 1)), 2);
  }


  private static Arguments call(String name, String argument, ThrowingCallable call) {
    return Arguments.of(Named.of(name, call), argument);
  }

  static Stream<Arguments> nullArguments() {
    return Stream.of(
        call("map", "map function", () -> rdd.map(null)),
        call("flatMap", "flatMap function", () -> rdd.flatMap(null)),
        call("filter", "filter function", () -> rdd.filter(null)),
        call("mapPartitions", "mapPartitions function", () -> rdd.mapPartitions(null)),
        call("mapPartitionsWithIndex", "mapPartitionsWithIndex function",
            () -> rdd.mapPartitionsWithIndex(null, false)),
        call("mapToPair", "mapToPair function", () -> rdd.mapToPair(null)),
        call("flatMapToPair", "flatMapToPair function", () -> rdd.flatMapToPair(null)),
        call("mapPartitionsToPair", "mapPartitionsToPair function", () -> rdd.mapPartitionsToPair(null)),
        call("keyBy", "keyBy function", () -> rdd.keyBy(null)),
        call("union", "other dataset", () -> rdd.union(null)),
        call("sortBy", "sortBy function", () -> rdd.sortBy(null, true, 2)),
        call("reduce", "reduce function", () -> rdd.reduce(null)),
        call("fold", "fold function", () -> rdd.fold(0, null)),
        call("aggregate seqOp", "seqOp", () -> rdd.aggregate(0, null, Integer::sum)),
        call("aggregate combOp", "combOp", () -> rdd.aggregate(0, Integer::sum, null)),
        call("foreach", "foreach function", () -> rdd.foreach(null)),
        call("foreachPartition", "foreachPartition function", () -> rdd.foreachPartition(null)),
        call("persist", "storage level", () -> rdd.persist(null)),
        call("reduceByKey", "reduce function", () -> pairs.reduceByKey(null)),
        call("combineByKey createCombiner", "createCombiner",
            () -> pairs.combineByKey(null, Integer::sum, Integer::sum)),
        call("combineByKey mergeValue", "mergeValue",
            () -> pairs.<Integer>combineByKey(v -> v, null, Integer::sum)),
        call("combineByKey mergeCombiners", "mergeCombiners",
            () -> pairs.<Integer>combineByKey(v -> v, Integer::sum, null)),
        call("combineByKey partitioner", "partitioner",
            () -> pairs.<Integer>combineByKey(v -> v, Integer::sum, Integer::sum, (io.tributary.Partitioner) null)),
        call("aggregateByKey", "seqOp", () -> pairs.aggregateByKey(0, null, Integer::sum)),
        call("foldByKey", "seqOp", () -> pairs.foldByKey(0, null)),
        call("partitionBy", "partitioner", () -> pairs.partitionBy(null)),
        call("mapValues", "mapValues function", () -> pairs.mapValues(null)),
        call("flatMapValues", "flatMapValues function", () -> pairs.flatMapValues(null)),
        call("sortByKey", "ordering", () -> pairs.sortByKey(null, true, 2)),
        call("cogroup", "other dataset", () -> pairs.cogroup(null)),
        call("join", "other dataset", () -> pairs.join(null)),
        call("join with partitions", "other dataset", () -> pairs.join(null, 2)),
        call("leftOuterJoin", "other dataset", () -> pairs.leftOuterJoin(null)),
        call("rightOuterJoin", "other dataset", () -> pairs.rightOuterJoin(null)),
        call("fullOuterJoin", "other dataset", () -> pairs.fullOuterJoin(null)),
        call("fromRdd", "dataset", () -> PairRdd.fromRdd(null)),
        call("parallelize", "data", () -> sc.parallelize(null)),
        call("parallelize with slices", "data", () -> sc.parallelize(null, 2)),
        call("parallelizePairs", "data", () -> sc.parallelizePairs(null)),
        call("union of datasets", "datasets", () -> sc.union((Rdd<Integer>[]) null)),
        call("union of a list", "datasets", () -> sc.union((List<Rdd<Integer>>) null)),
        call("new RddContext", "conf", () -> new RddContext(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nullArguments")
  void aNullArgumentFailsNamingTheArgument(ThrowingCallable call, String argument) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(argument)
        .hasMessageContaining("must not be null");
  }

  static Stream<Arguments> nonPositiveCounts() {
    return Stream.of(
        call("parallelize", "numSlices", () -> sc.parallelize(List.of(1), 0)),
        call("repartition", "numPartitions", () -> rdd.repartition(0)),
        call("coalesce", "numPartitions", () -> rdd.coalesce(-1)),
        call("distinct", "numPartitions", () -> rdd.distinct(0)),
        call("sortBy", "numPartitions", () -> rdd.sortBy(x -> x, true, 0)),
        call("reduceByKey", "numPartitions", () -> pairs.reduceByKey(Integer::sum, 0)),
        call("groupByKey", "numPartitions", () -> pairs.groupByKey(0)),
        call("join", "numPartitions", () -> pairs.join(pairs, 0)),
        call("sortByKey", "numPartitions", () -> pairs.sortByKey(true, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositiveCounts")
  void aPartitionCountBelowOneFailsNamingTheArgument(ThrowingCallable call, String argument) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(argument)
        .hasMessageContaining("at least 1");
  }
}
