package dev.canopy.deploy.process;

import dev.canopy.cloud.ca.TlsCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a role's own certificates from the cloud's CA while the process runs: every
 * {@link #CHECK_EVERY} each credential is renewed once two thirds of its lifetime have passed
 * ({@link TlsCredentials#renewIfDue}), and every listener and client built on it presents the new
 * one from its next handshake. Checks run on a worker, never two at once; a failure is logged and
 * tried again at the next check.
 */
public final class CredentialRenewal {

  private static final Logger LOG = LoggerFactory.getLogger(CredentialRenewal.class);
  /** How often the certificates are checked; renewal is due after 243 of a year's 365 days. */
  public static final Duration CHECK_EVERY = Duration.ofHours(1);

  private CredentialRenewal() {}

  /**
   * Starts the checks of {@code credentials} (named for the log, e.g. "controller 2"); returns
   * what stops them, for the role's {@link ServerStack}.
   */
  public static java.util.function.Supplier<Future<Void>> start(Vertx vertx, InstantSource clock, String owner,
      List<TlsCredentials> credentials) {
    AtomicBoolean running = new AtomicBoolean();
    long timer = vertx.setPeriodic(CHECK_EVERY.toMillis(), t -> {
      if (running.compareAndSet(false, true)) {
        vertx.executeBlocking(() -> {
          renewDue(clock, owner, credentials);
          return null;
        }, false).onComplete(done -> running.set(false));
      }
    });
    return () -> {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    };
  }

  /** One check: renews what is due, logging each renewal and each failure. */
  static void renewDue(InstantSource clock, String owner, List<TlsCredentials> credentials) {
    for (TlsCredentials c : credentials) {
      try {
        if (c.renewIfDue(clock.instant())) {
          LOG.info("{}: renewed its certificate {}; valid until {}", owner, c.certificate().getSubjectX500Principal().getName(),
              c.certificate().getNotAfter().toInstant());
        }
      } catch (RuntimeException e) {
        LOG.warn("{}: its certificate {} expires at {} and was not renewed: {}; trying again in {} min", owner,
            c.certificate().getSubjectX500Principal().getName(), c.certificate().getNotAfter().toInstant(), e.toString(),
            CHECK_EVERY.toMinutes());
      }
    }
  }
}
