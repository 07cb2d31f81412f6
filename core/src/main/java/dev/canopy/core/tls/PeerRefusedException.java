package dev.canopy.core.tls;

import java.security.cert.CertificateException;

/**
 * A peer certificate that this cloud does not accept: self-signed, from another CA, expired,
 * not yet valid, without a Canopy identity, or naming a role the port does not take. A
 * {@link CertificateException} so that a trust manager can throw it to end the handshake; the
 * message is a complete sentence for the log.
 */
public final class PeerRefusedException extends CertificateException {

  public PeerRefusedException(String message) {
    super(message);
  }
}
