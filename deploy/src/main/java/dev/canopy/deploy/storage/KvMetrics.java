package dev.canopy.deploy.storage;

import dev.canopy.storage.kv.engine.KvCounters;
import dev.canopy.storage.kv.engine.KvCounters.Failure;
import dev.canopy.storage.kv.engine.KvCounters.ReplicaRequest;
import dev.canopy.storage.kv.engine.KvCounters.Request;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The replicated store's request counts on the storage process's {@code /metrics}, read from the
 * engine's own totals at each scrape (the ones {@code /stats} shows), so nothing is counted twice:
 * {@code canopy_kv_requests_total{op}}, {@code canopy_kv_request_failures_total{op,reason}},
 * {@code canopy_kv_replica_requests_total{op}}, {@code canopy_kv_superseding_puts_total},
 * {@code canopy_kv_superseding_rewrites_total} and {@code canopy_kv_read_repairs_total}. Every
 * label value comes from a closed set, and every series exists from the start, at zero.
 */
final class KvMetrics {

  private KvMetrics() {}

  static void register(MeterRegistry registry, KvCounters counters) {
    for (Request op : Request.values()) {
      counter(counters, "canopy.kv.requests", c -> c.requests(op),
          "Gets, puts and deletes this storage node coordinated, failed ones included (a delete is a tombstone put too,"
              + " after a get when it has no context; a superseding rewrite is a get and a put more)")
          .tag("op", label(op)).register(registry);
      for (Failure reason : Failure.values()) {
        counter(counters, "canopy.kv.request.failures", c -> c.failures(op, reason),
            "Requests this storage node coordinated that failed: quorum (too few replicas answered), invalid, other")
            .tag("op", label(op)).tag("reason", label(reason)).register(registry);
      }
    }
    for (ReplicaRequest op : ReplicaRequest.values()) {
      counter(counters, "canopy.kv.replica.requests", c -> c.replicaRequests(op),
          "Replica reads and writes this storage node served for the peers that coordinate them")
          .tag("op", label(op)).register(registry);
    }
    counter(counters, "canopy.kv.superseding.puts", KvCounters::supersedingPuts,
        "Puts written over the coordinator's copy without a read first (the controllers' records), of the op=put requests")
        .register(registry);
    counter(counters, "canopy.kv.superseding.rewrites", KvCounters::supersedingRewrites,
        "Superseding puts written again after a read, because a replica held a value the coordinator had not seen")
        .register(registry);
    counter(counters, "canopy.kv.read.repairs", KvCounters::readRepairs,
        "Replicas a read found behind and wrote the merged value back to")
        .register(registry);
  }

  private static FunctionCounter.Builder<KvCounters> counter(KvCounters counters, String name,
      ToDoubleFunction<KvCounters> total, String description) {
    return FunctionCounter.builder(name, counters, total).description(description);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
