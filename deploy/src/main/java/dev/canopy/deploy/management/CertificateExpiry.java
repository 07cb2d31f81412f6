package dev.canopy.deploy.management;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * {@code canopy_certificate_expiry_seconds{role=…}}: time left on the certificate a controller or
 * storage process issued itself (a year, renewed in place after 243 days: {@code
 * CredentialRenewal}), so monitoring sees a process whose renewal keeps failing long before its
 * peers refuse it.
 */
public final class CertificateExpiry {

  private CertificateExpiry() {}

  /** @param certificate the certificate presented now (it changes when renewed) */
  public static void meter(MeterRegistry metrics, String role, Supplier<X509Certificate> certificate, InstantSource clock) {
    Gauge.builder("canopy.certificate.expiry", certificate,
            c -> (double) Duration.between(clock.instant(), c.get().getNotAfter().toInstant()).toSeconds())
        .tag("role", role)
        .baseUnit("seconds")
        .description("Time left on this process's own certificate from the cloud's CA")
        .register(metrics);
  }
}
