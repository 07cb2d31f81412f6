package dev.canopy.storage.kv.riak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.storage.kv.KvStats;

/**
 * {@code GET /stats} as Riak names its figures where Riak has one (latencies in microseconds, as
 * Riak's). Riak's {@code node_gets} counts the last minute; here, as {@code node_gets_total},
 * it counts since the process started (the store keeps no windows). Handoffs and anti-entropy
 * figures have no Riak stat and keep Canopy's names.
 */
final class StatsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatsJson() {}

  static String render(KvStats stats) {
    ObjectNode out = JSON.createObjectNode()
        .put("nodename", stats.node())
        .put("node_gets", stats.gets())
        .put("node_gets_total", stats.gets())
        .put("node_puts", stats.puts())
        .put("node_puts_total", stats.puts())
        .put("node_get_fsm_time_median", stats.getP50Micros())
        .put("node_get_fsm_time_99", stats.getP99Micros())
        .put("node_put_fsm_time_median", stats.putP50Micros())
        .put("node_put_fsm_time_99", stats.putP99Micros())
        .put("read_repairs", stats.readRepairs())
        .put("read_repairs_total", stats.readRepairs())
        .put("ring_num_partitions", stats.partitions())
        // Riak prints every member's share; a node knows its own, so its entry alone.
        .put("ring_ownership", "[{'" + stats.node() + "'," + stats.partitionsOwned() + "}]")
        .put("partitions_owned", stats.partitionsOwned())
        .put("handoffs_completed", stats.handoffsCompleted())
        .put("handoffs_pending", stats.handoffsPending())
        .put("aae_exchanges", stats.aaeExchanges())
        .put("aae_keys_repaired", stats.aaeKeysRepaired())
        .put("superseding_rewrites", stats.supersedingRewrites());
    stats.ringMembers().forEach(out.putArray("ring_members")::add);
    return out.toString();
  }
}
