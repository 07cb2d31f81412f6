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

  public static Optional<AgentCredentials> load(Path dir) throws IOException {
    Path nodeFile = dir.resolve("node.json");
    if (!Files.exists(nodeFile)) {
      return Optional.empty();
    }
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
