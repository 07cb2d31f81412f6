package dev.canopy.deploy.management;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;

/**
 * {@code canopy_certificate_expiry_seconds{role=…}}: time left on the certificate a controller or
 * storage process issued itself at its start (a year; renewed by the next start), so monitoring
 * sees a process that has run for most of a year before its peers refuse it.
 */
public final class CertificateExpiry {

  private CertificateExpiry() {}

  public static void meter(MeterRegistry metrics, String role, X509Certificate certificate, InstantSource clock) {
    Gauge.builder("canopy.certificate.expiry", certificate,
            c -> (double) Duration.between(clock.instant(), c.getNotAfter().toInstant()).toSeconds())
        .tag("role", role)
        .baseUnit("seconds")
        .description("Time left on this process's own certificate from the cloud's CA")
        .register(metrics);
  }
}
