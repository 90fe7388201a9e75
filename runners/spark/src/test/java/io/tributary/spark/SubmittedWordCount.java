package io.tributary.spark;

import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.RddContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The application {@link SparkSubmitTest} hands to {@code spark-submit}: it names no master (the
 * one given to {@code --master} is used) and prints its word counts and the executors that ran them.
 */
public final class SubmittedWordCount {
  private SubmittedWordCount() {}

  public static void main(String[] args) {
    try (RddContext context = new RddContext(new StreamingConf().setAppName("submitted"))) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        lines.add("a b" + (i % 3 == 0 ? " c" : ""));
      }
      List<Tuple2<String, Integer>> counts = PairRdd.fromRdd(context.parallelize(lines, 4)
              .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
              .mapToPair(w -> new Tuple2<>(w, 1)))
          .reduceByKey(Integer::sum, 2).sortByKey(true, 1).collect();
      Set<String> executors = new TreeSet<>(context.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6), 6)
          .map(x -> {
            Thread.sleep(300);
            return org.apache.spark.SparkEnv.get().executorId();
          }).collect());
      System.out.println("MASTER " + context.conf().master());
      System.out.println("COUNTS " + counts);
      System.out.println("EXECUTORS " + executors);
    }
  }
}
