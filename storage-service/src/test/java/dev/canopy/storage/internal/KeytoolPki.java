package dev.canopy.storage.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A throwaway CA and Canopy-style certificates (SAN {@code canopy:<role>:<id>}) made with the
 * JDK's keytool, because storage-service has no BouncyCastle and must not depend on the
 * controller's CA. Each keytool run starts a JVM, so a test class makes its set once.
 */
final class KeytoolPki {

  private static final String PASSWORD = "changeit";

  final Path dir;
  final X509Certificate ca;

  KeytoolPki(Path dir) throws Exception {
    this.dir = dir;
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Test CA", "-ext", "bc:c",
        "-validity", "2", "-keystore", store("ca").toString());
    ca = (X509Certificate) load(store("ca")).getCertificate("ca");
  }

  /** A key and a certificate naming {@code canopy:<role>:<id>}, issued by this CA. */
  KeyManagerFactory issue(String role, String id) throws Exception {
    String name = role + "-" + id;
    Path store = store(name);
    keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + role + " " + id,
        "-validity", "1", "-keystore", store.toString());
    Path csr = dir.resolve(name + ".csr");
    Path crt = dir.resolve(name + ".crt");
    keytool("-certreq", "-alias", "leaf", "-keystore", store.toString(), "-file", csr.toString());
    keytool("-gencert", "-alias", "ca", "-keystore", store("ca").toString(), "-infile", csr.toString(), "-outfile", crt.toString(),
        "-ext", "san=uri:canopy:" + role + ":" + id, "-ext", "eku=serverAuth,clientAuth", "-validity", "1", "-rfc");
    X509Certificate leaf;
    try (InputStream in = Files.newInputStream(crt)) {
      leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return keyManagers((PrivateKey) load(store).getKey("leaf", PASSWORD.toCharArray()), leaf, ca);
  }

  /** A self-signed certificate that otherwise looks like a Canopy one. */
  KeyManagerFactory selfSigned(String role, String id) throws Exception {
    Path store = store("rogue-" + role + "-" + id);
    keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + role + " " + id,
        "-ext", "san=uri:canopy:" + role + ":" + id, "-validity", "1", "-keystore", store.toString());
    KeyStore keys = load(store);
    return keyManagers((PrivateKey) keys.getKey("leaf", PASSWORD.toCharArray()), (X509Certificate) keys.getCertificate("leaf"));
  }

  /** A client context presenting {@code keys} (none when null) and trusting servers of {@code role}. */
  SSLContext clientContext(KeyManagerFactory keys, String serverRole) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    TrustManager trust = new PeerTrustManager(ca, java.time.InstantSource.system(), hasRole(serverRole), serverRole, "test client");
    context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trust}, null);
    return context;
  }

  /** The SAN-URI role check the controller side implements with PeerCertificates. */
  static java.util.function.Predicate<X509Certificate[]> hasRole(String role) {
    return chain -> {
      try {
        var names = chain[0].getSubjectAlternativeNames();
        return names != null && names.stream()
            .anyMatch(n -> Integer.valueOf(6).equals(n.get(0)) && String.valueOf(n.get(1)).startsWith("canopy:" + role + ":"));
      } catch (java.security.cert.CertificateParsingException e) {
        return false;
      }
    };
  }

  private static KeyManagerFactory keyManagers(PrivateKey key, X509Certificate... chain) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("leaf", key, PASSWORD.toCharArray(), chain);
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, PASSWORD.toCharArray());
    return factory;
  }

  private Path store(String name) {
    return dir.resolve(name + ".p12");
  }

  private static KeyStore load(Path path) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // keytool is a JVM started per call: quick JIT and a small GC cut its start from ~2 s to < 1 s.
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
    }
  }
}
