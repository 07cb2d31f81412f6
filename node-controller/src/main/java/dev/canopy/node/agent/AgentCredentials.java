package dev.canopy.node.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.files.DurableFiles;
import dev.canopy.node.protocol.PeerCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What enrollment gives an agent, as files under its data folder: {@code node.key} (PKCS#8,
 * mode 0600), {@code node.crt}, {@code ca.crt} and {@code node.json} (node id and controller
 * URLs). {@code node.json} is written last, fsynced, so its presence means the rest is there.
 */
public record AgentCredentials(String nodeId, PrivateKey key, X509Certificate certificate, X509Certificate ca, List<String> controllers) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code node.json} document. */
  record NodeFile(String nodeId, List<String> controllers) {}

  /** Where a renewed key and certificate wait until both are durable; see {@link #saveRenewed}. */
  static final String RENEWAL_DIR = "renewal";
  private static final String RENEWAL_COMPLETE = "complete";
  private static final List<String> RENEWED_FILES = List.of("node.key", "node.crt");

  public static Optional<AgentCredentials> load(Path dir) throws IOException {
    Path nodeFile = dir.resolve("node.json");
    if (!Files.exists(nodeFile)) {
      return Optional.empty();
    }
    finishRenewal(dir);
    NodeFile node = JSON.readValue(nodeFile.toFile(), NodeFile.class);
    try {
      PrivateKey key = PeerCertificates.parseEcPrivateKey(Files.readString(dir.resolve("node.key")));
      X509Certificate certificate = PeerCertificates.parseCertificates(Files.readString(dir.resolve("node.crt"))).get(0);
      X509Certificate ca = PeerCertificates.parseCertificates(Files.readString(dir.resolve("ca.crt"))).get(0);
      return Optional.of(new AgentCredentials(node.nodeId(), key, certificate, ca, node.controllers()));
    } catch (GeneralSecurityException e) {
      throw new IOException("the agent's credentials in " + dir + " are unreadable: " + e.getMessage(), e);
    }
  }

  /** The same identity with another controller list. */
  public AgentCredentials withControllers(List<String> all) {
    return new AgentCredentials(nodeId, key, certificate, ca, List.copyOf(all));
  }

  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve("node.key"), PeerCertificates.privateKeyToPem(key), true);
    write(dir.resolve("node.crt"), PeerCertificates.toPem(certificate), false);
    write(dir.resolve("ca.crt"), PeerCertificates.toPem(ca), false);
    write(dir.resolve("node.json"), JSON.writeValueAsString(new NodeFile(nodeId, controllers)), false);
  }

  /** The same node with a renewed key and certificate. */
  public AgentCredentials renewed(PrivateKey newKey, X509Certificate newCertificate) {
    return new AgentCredentials(nodeId, newKey, newCertificate, ca, controllers);
  }

  /**
   * Replaces {@code node.key} and {@code node.crt} with this (renewed) pair without ever leaving
   * a key beside a certificate it does not match, whatever instant a crash strikes: both are
   * written durably under {@code renewal/}, then {@code renewal/complete} marks them whole, then
   * each is renamed into place. {@link #load} finishes renames a crash interrupted, and drops a
   * renewal that never became complete (the old pair is then intact and still valid).
   */
  public void saveRenewed(Path dir) throws IOException {
    Path staging = dir.resolve(RENEWAL_DIR);
    dropRenewal(staging);
    Files.createDirectories(staging);
    write(staging.resolve("node.key"), PeerCertificates.privateKeyToPem(key), true);
    write(staging.resolve("node.crt"), PeerCertificates.toPem(certificate), false);
    write(staging.resolve(RENEWAL_COMPLETE), "", false);
    finishRenewal(dir);
  }

  private static void finishRenewal(Path dir) throws IOException {
    Path staging = dir.resolve(RENEWAL_DIR);
    if (!Files.isDirectory(staging)) {
      return;
    }
    if (Files.exists(staging.resolve(RENEWAL_COMPLETE))) {
      for (String name : RENEWED_FILES) {
        if (Files.exists(staging.resolve(name))) {
          DurableFiles.moveAtomically(staging.resolve(name), dir.resolve(name));
        }
      }
    }
    dropRenewal(staging);
  }

  /** The marker goes first: a crash part-way leaves no "complete" beside a partial pair. */
  private static void dropRenewal(Path staging) throws IOException {
    if (!Files.isDirectory(staging)) {
      return;
    }
    DurableFiles.deleteDurably(staging.resolve(RENEWAL_COMPLETE));
    for (String name : RENEWED_FILES) {
      DurableFiles.deleteDurably(staging.resolve(name));
    }
    try (var rest = Files.list(staging)) {
      for (Path leftover : rest.toList()) {
        // Temporary files of an interrupted write.
        DurableFiles.deleteDurably(leftover);
      }
    }
    Files.delete(staging);
    DurableFiles.syncDirectory(staging.getParent());
  }

  /** Durably (the directory fsynced too, so node.json's presence survives a crash); 0600 from its creation when secret. */
  private static void write(Path target, String content, boolean secret) throws IOException {
    if (secret) {
      DurableFiles.writeOwnerOnly(target, content);
    } else {
      DurableFiles.write(target, content);
    }
  }

  @Override
  public String toString() {
    return "AgentCredentials[nodeId=" + nodeId + ", controllers=" + controllers + "]";
  }
}
