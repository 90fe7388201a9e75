package io.tributary.kinesis;

import io.tributary.function.Function0;
import java.io.Serializable;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How the receiver obtains AWS credentials, for Kinesis, DynamoDB (the lease table) or CloudWatch
 * (metrics). Serializable, so that a stream definition can be checkpointed: the SDK provider is
 * made when the receiver starts. {@link #defaultChain()} (environment, system properties, profile
 * files, container and instance roles) is the default.
 */
public abstract class KinesisCredentials implements Serializable {
  private static final long serialVersionUID = 1L;

  KinesisCredentials() {}

  /** Makes the SDK credentials provider; called each time the receiver starts. */
  abstract AwsCredentialsProvider provider() throws Exception;

  /** The SDK's default provider chain. */
  public static KinesisCredentials defaultChain() {
    return new Made("default chain", DefaultCredentialsProvider::create);
  }

  /** A fixed access key id and secret key (avoid in production: they end up in the checkpoint). */
  public static KinesisCredentials basic(String accessKeyId, String secretKey) {
    if (accessKeyId == null || accessKeyId.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new IllegalArgumentException("KinesisCredentials.basic needs a non-blank access key id and secret key");
    }
    return new Made("basic(" + accessKeyId + ")",
        () -> StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)));
  }

  /** A named profile of the AWS config and credentials files. */
  public static KinesisCredentials profile(String profileName) {
    if (profileName == null || profileName.isBlank()) {
      throw new IllegalArgumentException("KinesisCredentials.profile needs a profile name");
    }
    return new Made("profile(" + profileName + ")", () -> ProfileCredentialsProvider.create(profileName));
  }

  /**
   * Any SDK provider (e.g. an STS assume-role provider), made by {@code factory} on every
   * receiver start; the factory must be serializable.
   */
  public static KinesisCredentials of(Function0<AwsCredentialsProvider> factory) {
    return new Made("custom", Objects.requireNonNull(factory, "credentials factory"));
  }

  private static final class Made extends KinesisCredentials {
    private static final long serialVersionUID = 1L;
    private final String description;
    private final Function0<AwsCredentialsProvider> factory;

    Made(String description, Function0<AwsCredentialsProvider> factory) {
      this.description = description;
      this.factory = factory;
    }

    @Override
    AwsCredentialsProvider provider() throws Exception {
      AwsCredentialsProvider provider = factory.call();
      if (provider == null) {
        throw new IllegalStateException("The credentials factory returned null");
      }
      return provider;
    }

    @Override
    public String toString() {
      return "KinesisCredentials." + description;
    }
  }
}
