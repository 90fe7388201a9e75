package io.tributary.kafka;

import io.tributary.ClassPath;

/** The check every entry point of this connector runs first: kafka-clients is on the class path. */
final class KafkaClients {
  private KafkaClients() {}

  static void require() {
    ClassPath.require(KafkaClients.class, "org.apache.kafka.clients.consumer.KafkaConsumer",
        "org.apache.kafka:kafka-clients (3.9.x)", "tributary-kafka");
  }
}
