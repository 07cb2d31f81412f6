package dev.canopy.node.protocol;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate of the cloud's CA is due for renewal: once two thirds of its lifetime have
 * passed, which leaves a third (30 days of a node's 90) to retry in while a controller is down
 * or the agent is stopped. Pure: the time is passed in.
 */
public final class CertificateLifetime {

  /** Numerator and denominator of the lifetime fraction after which a certificate is renewed. */
  static final long RENEW_AT_NUMERATOR = 2;
  static final long RENEW_AT_DENOMINATOR = 3;

  private CertificateLifetime() {}

  /** The instant from which {@code certificate} should be renewed. */
  public static Instant renewAt(X509Certificate certificate) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Duration lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant());
    return notBefore.plus(lifetime.multipliedBy(RENEW_AT_NUMERATOR).dividedBy(RENEW_AT_DENOMINATOR));
  }

  public static boolean renewalDue(X509Certificate certificate, Instant now) {
    return !now.isBefore(renewAt(certificate));
  }

  /** Time left until {@code certificate} expires; negative once it has. */
  public static Duration remaining(X509Certificate certificate, Instant now) {
    return Duration.between(now, certificate.getNotAfter().toInstant());
  }
}
