package dev.canopy.core.tls;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A throwaway CA and Canopy-style certificates (SAN {@code canopy:<role>:<id>}) made with the
 * JDK's keytool, for modules without BouncyCastle (core, storage-service), which must not depend
 * on the controller's CA. Each keytool run starts a JVM, so a test class makes its set once.
 * Shipped in core's test jar.
 */
public final class KeytoolPki {

  private static final String PASSWORD = "changeit";

  /** A key and its certificate, with the chain a peer presents (leaf, then its issuer unless self-signed). */
  public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

    public KeyManagerFactory keys() {
      return ca.equals(certificate) ? keyManagers(key, certificate) : keyManagers(key, certificate, ca);
    }
  }

  public final Path dir;
  public final X509Certificate ca;

  public KeytoolPki(Path dir) throws Exception {
    this(dir, "Test CA");
  }

  /** @param caName the CA's common name: two CAs of one test differ by it */
  public KeytoolPki(Path dir, String caName) throws Exception {
    this.dir = dir;
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName, "-ext", "bc:c",
        "-validity", "2", "-keystore", store("ca").toString());
    ca = (X509Certificate) load(store("ca")).getCertificate("ca");
  }

  /** A key and a certificate naming {@code canopy:<role>:<id>}, issued by this CA. */
  public Issued issue(String role, String id) throws Exception {
    return issue(role + "-" + id, "CN=" + role + " " + id, "san=uri:" + new PeerName(role, id).sanUri());
  }

  /** A certificate of this CA that names no Canopy identity (no SAN at all). */
  public Issued issueWithoutName(String id) throws Exception {
    return issue("anonymous-" + id, "CN=anonymous " + id, null);
  }

  private Issued issue(String name, String dname, String san) throws Exception {
    Path store = store(name);
    keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "1", "-keystore", store.toString());
    Path csr = dir.resolve(name + ".csr");
    Path crt = dir.resolve(name + ".crt");
    keytool("-certreq", "-alias", "leaf", "-keystore", store.toString(), "-file", csr.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", store("ca").toString(),
        "-infile", csr.toString(), "-outfile", crt.toString(), "-ext", "eku=serverAuth,clientAuth", "-validity", "1", "-rfc"));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    keytool(gencert.toArray(String[]::new));
    X509Certificate leaf;
    try (InputStream in = Files.newInputStream(crt)) {
      leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return new Issued((PrivateKey) load(store).getKey("leaf", PASSWORD.toCharArray()), leaf, ca);
  }

  /** A self-signed certificate that otherwise looks like a Canopy one. */
  public Issued selfSigned(String role, String id) throws Exception {
    Path store = store("rogue-" + role + "-" + id);
    keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + role + " " + id,
        "-ext", "san=uri:" + new PeerName(role, id).sanUri(), "-validity", "1", "-keystore", store.toString());
    KeyStore keys = load(store);
    X509Certificate certificate = (X509Certificate) keys.getCertificate("leaf");
    return new Issued((PrivateKey) keys.getKey("leaf", PASSWORD.toCharArray()), certificate, certificate);
  }

  /** A client context presenting {@code keys} (none when null) and trusting servers of {@code serverRole}. */
  public SSLContext clientContext(KeyManagerFactory keys, String serverRole) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    TrustManager trust = new PeerTrustManager(ca, InstantSource.system(), Set.of(serverRole), "test client", refusal -> {});
    context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trust}, null);
    return context;
  }

  private static KeyManagerFactory keyManagers(PrivateKey key, X509Certificate... chain) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("leaf", key, PASSWORD.toCharArray(), chain);
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, PASSWORD.toCharArray());
      return factory;
    } catch (Exception e) {
      throw new IllegalStateException("an in-memory PKCS12 store of a valid key and chain cannot fail", e);
    }
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
