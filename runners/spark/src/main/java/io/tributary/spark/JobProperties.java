package io.tributary.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * A Tributary job's local properties travel as one Spark local property of the submitting thread
 * (Spark gives every task of the job its local properties).
 */
final class JobProperties {
  static final String KEY = "tributary.job.localProperties";

  private JobProperties() {}

  static String encode(Map<String, String> properties) {
    if (properties.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HashMap<>(properties));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode the job's local properties", e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> of(TaskContext context) {
    String encoded = context.getLocalProperty(KEY);
    if (encoded == null) {
      return Map.of();
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)))) {
      return (Map<String, String>) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("Cannot decode the job's local properties", e);
    }
  }
}
