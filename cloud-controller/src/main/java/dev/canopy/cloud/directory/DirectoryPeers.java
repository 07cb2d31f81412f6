package dev.canopy.cloud.directory;

import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.time.InstantSource;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Canopy's certificate roles on the directory port: a controller serves it with its {@code
 * controller} certificate and admits only {@code storage} clients of the cloud's CA; a storage
 * node presents its {@code storage} certificate and trusts only a {@code controller} server of that
 * CA (the reverse of the internal KV port, where controllers are the clients).
 */
public final class DirectoryPeers {

  private DirectoryPeers() {}

  /** What a storage node hands to {@code RemoteDirectory}, built from its own credentials. */
  public static SSLContext storageClientContext(TlsCredentials storage, InstantSource clock) {
    return storage.clientContext(Set.of(PeerRole.CONTROLLER), "storage → directory", clock);
  }

  /** The server's check of client certificates. */
  static X509ExtendedTrustManager storageClients(TlsCredentials controller, InstantSource clock) {
    return PeerCertificates.trustManager(controller.ca(), clock, Set.of(PeerRole.STORAGE), "directory port");
  }
}
