package io.tributary.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples jar's entry point: {@code java -jar tributary-examples.jar [example] [args...]}
 * runs the example named first (e.g. {@code NetworkWordCount localhost 9999}), or {@link
 * QuickStart} when the first argument is not a name (its optional number of seconds) or there is
 * none. An unknown name lists the examples.
 */
public final class Examples {
  private Examples() {}

  /** An example's {@code main}. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  static final Map<String, Main> ALL = new LinkedHashMap<>();

  static {
    ALL.put("QuickStart", QuickStart::main);
    ALL.put("NetworkWordCount", NetworkWordCount::main);
    ALL.put("StatefulNetworkWordCount", StatefulNetworkWordCount::main);
    ALL.put("RecoverableNetworkWordCount", RecoverableNetworkWordCount::main);
    ALL.put("WindowedHashtagCounts", WindowedHashtagCounts::main);
    ALL.put("DirectKafkaWordCount", DirectKafkaWordCount::main);
    ALL.put("KafkaExactlyOnce", KafkaExactlyOnce::main);
    ALL.put("MQTTWordCount", MQTTWordCount::main);
    ALL.put("ZeroMQWordCount", ZeroMQWordCount::main);
    ALL.put("TwitterPopularTags", TwitterPopularTags::main);
    ALL.put("FlumeEventCount", FlumeEventCount::main);
    ALL.put("KinesisWordCount", KinesisWordCount::main);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].matches("\\d+")) {
      QuickStart.main(args);
      return;
    }
    Main example = ALL.get(args[0]);
    if (example == null) {
      System.err.println("Unknown example '" + args[0] + "'. Run one of: " + String.join(", ", ALL.keySet())
          + "\n  java -jar tributary-examples.jar <example> [its arguments]   (no example: QuickStart)");
      System.exit(2);
      return;
    }
    example.run(Arrays.copyOfRange(args, 1, args.length));
  }
}
