package io.tributary.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS socket factory of a receiver from its options' trust store and key store. */
final class Tls {
  private Tls() {}

  /** Checks, when a stream is defined, that the store files exist and are readable. */
  public static void checkFiles(MQTTOptions options) {
    options.trustStore().ifPresent(p -> checkReadable(p, "trust store"));
    options.keyStore().ifPresent(p -> checkReadable(p, "key store"));
  }

  private static void checkReadable(String path, String what) {
    Path p = Path.of(path);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException("The TLS " + what + " '" + path + "' is not a readable file");
    }
  }

  /** The socket factory for the options' stores, or null when they name none (the JVM default is used). */
  public static SSLSocketFactory socketFactory(MQTTOptions options) throws IOException, GeneralSecurityException {
    if (!options.usesTls()) {
      return null;
    }
    TrustManagerFactory tmf = null;
    if (options.trustStore().isPresent()) {
      KeyStore trust = load(options.trustStore().get(), options.trustStorePassword().orElse(null), "trust store");
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
    }
    KeyManagerFactory kmf = null;
    if (options.keyStore().isPresent()) {
      char[] password = options.keyStorePassword().map(String::toCharArray).orElse(new char[0]);
      KeyStore keys = load(options.keyStore().get(), options.keyStorePassword().orElse(null), "key store");
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  /** A PKCS12 or JKS key store, or a PEM file of certificates turned into a trust store. */
  static KeyStore load(String path, String password, String what) throws IOException, GeneralSecurityException {
    Path p = Path.of(path);
    byte[] head;
    try (InputStream in = Files.newInputStream(p)) {
      head = in.readNBytes(64);
    }
    if (new String(head, StandardCharsets.ISO_8859_1).contains("-----BEGIN")) {
      if (!what.equals("trust store")) {
        throw new GeneralSecurityException("The TLS " + what + " '" + path
            + "' is a PEM file: give a PKCS12 key store (openssl pkcs12 -export -in cert.pem -inkey key.pem -out client.p12)");
      }
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(p)) {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw new GeneralSecurityException("The TLS trust store '" + path + "' holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        store.setCertificateEntry("cert-" + i++, cert);
      }
      return store;
    }
    try {
      return KeyStore.getInstance(p.toFile(), password == null ? null : password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new GeneralSecurityException("Could not read the TLS " + what + " '" + path
          + "' (a PKCS12 or JKS key store" + (what.equals("trust store") ? ", or a PEM file of certificates" : "")
          + "; is the password right?): " + e.getMessage(), e);
    }
  }
}
