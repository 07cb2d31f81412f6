package dev.canopy.storage.s3;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Request metrics: {@code canopy.s3.requests} (counter) and {@code canopy.s3.request.duration}
 * (timer), both tagged by operation and HTTP status. Tag values come from closed sets (the
 * {@link Operation} enum, HTTP status codes), so cardinality stays bounded.
 */
final class S3Metrics {

  private final MeterRegistry registry;

  S3Metrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(Operation operation, int status, long durationNanos) {
    String op = operation.awsName();
    String code = Integer.toString(status);
    Counter.builder("canopy.s3.requests")
        .description("S3 API requests")
        .tag("operation", op)
        .tag("status", code)
        .register(registry)
        .increment();
    Timer.builder("canopy.s3.request.duration")
        .description("S3 API request time, from arrival to the end of the response")
        .tag("operation", op)
        .tag("status", code)
        .register(registry)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }
}
