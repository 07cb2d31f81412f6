package dev.canopy.cloud.agents;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.node.protocol.CertificateLifetime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of node certificate renewal: what each connected node presented (so the
 * soonest expiry among them is a metric and an overdue renewal a log line), and renewals of a
 * node's certificate over its session, issued for the id the session is bound to — never for an
 * id the CSR or the message names. A node is renewed at most once per {@link #RENEWAL_INTERVAL_MIN}
 * on this controller, so a misbehaving agent cannot make the CA sign in a loop. Entries exist
 * only for open sessions, so the maps are bounded by the enrolled nodes.
 */
final class NodeCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(NodeCertificates.class);
  /** Shortest time between two renewals of one node on this controller. */
  static final Duration RENEWAL_INTERVAL_MIN = Duration.ofMinutes(1);

  /** A renewal the controller refused, with the code the agent logs. */
  static final class RenewalRefused extends Exception {
    final String code;

    RenewalRefused(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  private final CertificateAuthority ca;
  private final InstantSource clock;
  private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastRenewals = new ConcurrentHashMap<>();

  NodeCertificates(CertificateAuthority ca, InstantSource clock) {
    this.ca = ca;
    this.clock = clock;
  }

  /** A node's session opened with {@code certificate}; says so in the log when it is past its renewal point. */
  void presented(String nodeId, X509Certificate certificate) {
    expiries.put(nodeId, certificate.getNotAfter().toInstant());
    Instant now = clock.instant();
    if (CertificateLifetime.renewalDue(certificate, now)) {
      LOG.warn("node {} presents a certificate that expires at {} (in {} h); it renews at two thirds of its lifetime: see its log",
          nodeId, certificate.getNotAfter().toInstant(), CertificateLifetime.remaining(certificate, now).toHours());
    }
  }

  void closed(String nodeId) {
    expiries.remove(nodeId);
    lastRenewals.remove(nodeId);
  }

  /** Time until the soonest expiry among the connected nodes' certificates; empty with none connected. */
  Optional<Duration> soonestExpiry() {
    Instant now = clock.instant();
    return expiries.values().stream().min(Instant::compareTo).map(expiry -> Duration.between(now, expiry));
  }

  /** Issues {@code nodeId} a new certificate for the CSR's key; may block (signing). */
  String renew(String nodeId, String csrPem) throws RenewalRefused {
    Instant now = clock.instant();
    Instant last = lastRenewals.get(nodeId);
    if (last != null && Duration.between(last, now).compareTo(RENEWAL_INTERVAL_MIN) < 0) {
      throw new RenewalRefused("TooSoon", "node " + nodeId + " was renewed less than " + RENEWAL_INTERVAL_MIN.toSeconds() + " s ago");
    }
    if (csrPem == null || csrPem.isEmpty()) {
      throw new RenewalRefused("InvalidCsr", "a renewal needs a csrPem");
    }
    X509Certificate issued;
    try {
      issued = ca.issue(csrPem, PeerRole.NODE, nodeId, CertificateAuthority.NODE_VALIDITY);
    } catch (CertificateAuthority.CsrException e) {
      throw new RenewalRefused("InvalidCsr", e.getMessage());
    }
    lastRenewals.put(nodeId, now);
    LOG.info("renewed the certificate of node {}: valid until {}", nodeId, issued.getNotAfter().toInstant());
    return PeerCertificates.toPem(issued);
  }
}
