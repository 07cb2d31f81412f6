package dev.canopy.storage.kv.peer;

import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;

/**
 * A storage node's TLS material for its peer port and its calls to peers, as plain JDK types
 * (the caller loads them; this package reads no files).
 *
 * @param keys presents this node's {@code canopy:storage:<id>} certificate
 * @param ca the cloud's CA: a peer's certificate must be issued by it
 * @param clock decides whether a peer's certificate is valid now
 */
public record PeerTls(KeyManagerFactory keys, X509Certificate ca, InstantSource clock) {

  /** The certificate role of a storage node, as {@code dev.canopy.core.tls.PeerName} spells it. */
  public static final String STORAGE_ROLE = "storage";

  public PeerTls {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(clock, "clock");
  }
}
