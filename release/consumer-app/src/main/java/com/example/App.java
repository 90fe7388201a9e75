package com.example;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import io.tributary.mqtt.MQTTUtils;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.util.Arrays;
import java.util.List;

/** Counts words of two batches, and defines an MQTT stream: prints "COUNTED a=3 b=1 MQTT ok". */
public final class App {
  public static void main(String[] args) {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<String> lines = driver.input();
      TestOutput<Tuple2<String, Integer>> counts = driver.collect(
          lines.stream().flatMap(l -> Arrays.asList(l.split(" ")).iterator())
              .mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum));
      StreamingContext ssc = driver.context();
      MQTTUtils.createStream(ssc, "tcp://127.0.0.1:1883", "words"); // defined, never started
      driver.start();
      lines.addBatch("a b a");
      lines.addBatch("a");
      driver.advance(2);
      List<Tuple2<String, Integer>> all = new java.util.ArrayList<>(counts.batch(0));
      all.addAll(counts.batch(1));
      int a = all.stream().filter(t -> t._1().equals("a")).mapToInt(Tuple2::_2).sum();
      int b = all.stream().filter(t -> t._1().equals("b")).mapToInt(Tuple2::_2).sum();
      System.out.println("COUNTED a=" + a + " b=" + b + " MQTT ok");
    }
  }
}
