package dev.canopy.deploy.process;

import dev.canopy.core.time.Time;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.security.SecureRandom;

/**
 * What a process hands each of its roles: one Vert.x, one clock, one source of randomness and one
 * meter registry. The process makes them, before any role, and closes Vert.x after the last.
 */
public record ProcessParts(Vertx vertx, Time time, SecureRandom random, PrometheusMeterRegistry metrics) {}
