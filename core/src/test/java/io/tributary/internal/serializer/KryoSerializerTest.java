package io.tributary.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.function.Function;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KryoSerializerTest {

  /** A class without a no-arg constructor and with a record inside. */
  static final class Account {
    final String id;
    final List<Tuple2<String, Long>> moves;

    Account(String id, List<Tuple2<String, Long>> moves) {
      this.id = id;
      this.moves = moves;
    }
  }

  @Test
  void roundTripsRecordsCollectionsAndClassesWithoutNoArgConstructors() {
    Serializer kryo = new KryoSerializer();
    Map<String, Account> state = new HashMap<>();
    state.put("a", new Account("a", new ArrayList<>(List.of(Tuple2.of("in", 5L), Tuple2.of("out", -2L)))));

    Map<String, Account> copy = kryo.deserialize(kryo.serialize(state));

    assertThat(copy).containsOnlyKeys("a");
    assertThat(copy.get("a").id).isEqualTo("a");
    assertThat(copy.get("a").moves).containsExactly(Tuple2.of("in", 5L), Tuple2.of("out", -2L));
  }

  @Test
  void registeredClassesMakeSmallerOutput() {
    Account account = new Account("id", new ArrayList<>());
    byte[] unregistered = new KryoSerializer().serialize(account);
    byte[] registered = new KryoSerializer(List.of(Account.class, ArrayList.class)).serialize(account);

    assertThat(registered.length).isLessThan(unregistered.length);
    Account copy = new KryoSerializer(List.of(Account.class, ArrayList.class)).deserialize(registered);
    assertThat(copy.id).isEqualTo("id");
  }

  @Test
  void serializableLambdasRoundTrip() throws Exception {
    Serializer kryo = new KryoSerializer();
    int factor = 2;
    Function<Integer, Integer> times = x -> x * factor;

    Function<Integer, Integer> copy = kryo.deserialize(kryo.serialize(times));

    assertThat(copy.call(21)).isEqualTo(42);
  }

  @Test
  void whatKryoCannotWriteIsWrittenWithJavaSerialization() {
    Serializer kryo = new KryoSerializer();
    java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong(7);

    byte[] bytes = kryo.serialize(counter);
    java.util.concurrent.atomic.AtomicLong copy = kryo.deserialize(bytes);

    assertThat(bytes[0]).as("written by the Java fallback").isEqualTo((byte) 1);
    assertThat(copy.get()).isEqualTo(7);
  }

  @Test
  void anUnknownClassToRegisterIsNamed() {
    assertThatThrownBy(() -> Serializer.named("kryo", "com.example.Missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("com.example.Missing")
        .hasMessageContaining("serializer.kryo.classesToRegister");
  }

  @Test
  void anUnknownSerializerNameSaysWhatIsAccepted() {
    assertThatThrownBy(() -> Serializer.named("protobuf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'protobuf'")
        .hasMessageContaining("kryo, java");
  }
}
