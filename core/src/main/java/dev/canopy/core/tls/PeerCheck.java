package dev.canopy.core.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The check of a Canopy peer's certificate chain: the leaf must be signed by the cloud's CA, be
 * valid at the given instant and name exactly one {@code canopy:<role>:<id>} of an accepted role.
 * Chains are one level deep (the CA issues every certificate directly), so only the leaf counts;
 * a CA certificate the peer sends along is ignored, never trusted.
 */
public final class PeerCheck {

  /** RFC 5280's uniformResourceIdentifier in {@link X509Certificate#getSubjectAlternativeNames}. */
  private static final int SAN_URI = 6;

  private PeerCheck() {}

  /**
   * @param chain as presented by the peer, leaf first
   * @param acceptedRoles the roles this port takes, e.g. {@code controller}
   * @return who the leaf names
   * @throws PeerRefusedException with a sentence saying why
   */
  public static PeerName verify(X509Certificate[] chain, X509Certificate ca, Instant now, Set<String> acceptedRoles)
      throws PeerRefusedException {
    if (chain == null || chain.length == 0) {
      throw new PeerRefusedException("no certificate was presented");
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName();
    if (!signedBy(leaf, ca)) {
      if (leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) && signedBy(leaf, leaf)) {
        throw new PeerRefusedException("certificate '" + subject + "' is self-signed, not issued by this cloud's CA");
      }
      throw new PeerRefusedException(
          "certificate '" + subject + "' was issued by '" + leaf.getIssuerX500Principal().getName() + "', a CA other than this cloud's");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new PeerRefusedException("certificate '" + subject + "' expired at " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new PeerRefusedException("certificate '" + subject + "' is not valid before " + leaf.getNotBefore().toInstant());
    }
    PeerName name = nameOf(leaf);
    if (!acceptedRoles.contains(name.role())) {
      throw new PeerRefusedException(
          "certificate of " + name + " names role '" + name.role() + "'; this port accepts only " + acceptedRoles.stream().sorted().toList());
    }
    return name;
  }

  /** The one {@code canopy:<role>:<id>} SAN URI of a certificate (its signature is not checked here). */
  public static PeerName nameOf(X509Certificate certificate) throws PeerRefusedException {
    List<PeerName> found = new ArrayList<>();
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new PeerRefusedException("certificate has an unreadable subject alternative name: " + e.getMessage());
    }
    if (names != null) {
      for (List<?> name : names) {
        if (Integer.valueOf(SAN_URI).equals(name.get(0)) && name.get(1) instanceof String uri) {
          String[] parts = uri.split(":", 3);
          if (parts.length == 3 && parts[0].equals(PeerName.SAN_SCHEME) && !parts[1].isEmpty() && !parts[2].isEmpty()) {
            found.add(new PeerName(parts[1], parts[2]));
          }
        }
      }
    }
    if (found.size() != 1) {
      throw new PeerRefusedException("certificate '" + certificate.getSubjectX500Principal().getName()
          + "' must name exactly one " + PeerName.SAN_SCHEME + ":<role>:<id>, it names " + found.size());
    }
    return found.get(0);
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    String pair;
    try {
      pair = VERIFIED.digest(certificate, issuer);
    } catch (GeneralSecurityException e) {
      return false;
    }
    if (VERIFIED.contains(pair)) {
      return true;
    }
    try {
      signatureChecks.incrementAndGet();
      certificate.verify(issuer.getPublicKey());
      VERIFIED.add(pair);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Signatures verified in this process (tests: a memoized one is not verified again). */
  static long signatureChecks() {
    return signatureChecks.get();
  }

  private static final java.util.concurrent.atomic.AtomicLong signatureChecks = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Certificates whose signature by an issuer has been verified, by the SHA-256 of both encodings.
   * A signature's validity is a function of those bytes alone, so a certificate seen again (an
   * agent's reconnect, the second check of the session after the handshake's) is not verified
   * again: P-256 verification was most of a controller's CPU when thousands of agents reconnected.
   * Validity dates and names are still checked on every call, and only successes are kept (a
   * refused certificate costs its verification every time; only the CA can make new entries).
   */
  private static final VerifiedSignatures VERIFIED = new VerifiedSignatures(65_536);

  /** A bounded set of verified (certificate, issuer) digests; emptied when full, which costs only re-verification. */
  static final class VerifiedSignatures {
    private final int capacity;
    private final java.util.Set<String> digests = java.util.concurrent.ConcurrentHashMap.newKeySet();

    VerifiedSignatures(int capacity) {
      this.capacity = capacity;
    }

    String digest(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
      java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
      sha256.update(issuer.getPublicKey().getEncoded());
      sha256.update(certificate.getEncoded());
      return java.util.HexFormat.of().formatHex(sha256.digest());
    }

    boolean contains(String digest) {
      return digests.contains(digest);
    }

    void add(String digest) {
      if (digests.size() >= capacity) {
        digests.clear();
      }
      digests.add(digest);
    }
  }
}
