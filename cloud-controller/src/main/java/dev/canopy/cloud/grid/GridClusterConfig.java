package dev.canopy.cloud.grid;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.config.SplitBrainProtectionListenerConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.canopy.storage.local.SystemStore;

/**
 * The Hazelcast configuration of a controller's member in a cluster of controllers, as
 * PAXOSLEASE.md ("Fencing") requires: the open-source grid is not linearizable, so it is set up
 * so that a minority can neither read nor write, every write reaches a majority of copies before
 * it returns, and what a minority did is thrown away when the partition heals.
 */
final class GridClusterConfig {

  /** The split-brain protection every map carries. */
  static final String MAJORITY = "canopy-majority";
  /**
   * After a partition heals, the smaller side's members merge into the larger within seconds
   * (Hazelcast waits 300 s by default), so a healed controller gets back its majority quickly.
   */
  static final int MERGE_FIRST_RUN_DELAY_SECONDS = 5;
  static final int MERGE_NEXT_RUN_DELAY_SECONDS = 5;
  static final int WAIT_BEFORE_JOIN_SECONDS = 1;
  static final int JOIN_ASK_SECONDS = 2;
  static final int WAIT_BEFORE_JOIN_SECONDS_MAX = 3;

  private GridClusterConfig() {}

  /**
   * @param onMajorityChange called on a Hazelcast event thread whenever the majority appears or
   *     goes away
   */
  static Config build(GridClusterSettings settings, SystemStore store, Runnable onMajorityChange) {
    Config config = Grid.lockedDown(settings.clusterName(), settings.bindAddress(), settings.port(), false);
    // Dial the others from this member's address too: several controllers can share a host on
    // distinct addresses, the others' allowlists name this address, and a firewall rule can name
    // one controller's traffic.
    config.setProperty("hazelcast.socket.client.bind.any", "false");
    config.setProperty("hazelcast.socket.client.bind", "true");
    // An operation whose backups were not acknowledged fails instead of reporting success: a
    // write the caller was told about must be on a majority.
    config.setProperty("hazelcast.invocation.fail.on.indeterminate.operation.state", "true");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.maxNoHeartbeatSeconds()));
    config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_FIRST_RUN_DELAY_SECONDS));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_NEXT_RUN_DELAY_SECONDS));
    // The master gathers join requests for WAIT_BEFORE_JOIN_SECONDS (Hazelcast: 5 s, up to 20 s)
    // before admitting them in one go. On a cold start of the controllers that wait was a third of
    // the time to a serving cloud; members that start together still find one master (they ask
    // the listed members who the master is before claiming it), so one second is enough.
    config.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(WAIT_BEFORE_JOIN_SECONDS));
    config.setProperty("hazelcast.max.wait.seconds.before.join", Integer.toString(WAIT_BEFORE_JOIN_SECONDS_MAX));
    join(config.getAdvancedNetworkConfig().getJoin(), settings);
    boolean protectedByMajority = settings.controllers() > 1;
    if (protectedByMajority) {
      config.addSplitBrainProtectionConfig(majority(settings, onMajorityChange));
    }
    MapConfig maps = maps(settings, store, protectedByMajority);
    config.addMapConfig(maps);
    // The indexed maps are named copies of the wildcard config: same durability and protection.
    GridIndexes.addTo(config, maps);
    config.addMapConfig(volatileMaps(settings, protectedByMajority));
    // Code that runs on a member (entry processor backups, tasks) finds the member's store here.
    config.getUserContext().put(Grid.STORE_CONTEXT_KEY, store);
    return config;
  }

  /**
   * Only the listed members, only over TCP: nothing is discovered, nothing is guessed; no
   * auto-increment, as the others look for this member at exactly the listed port.
   */
  private static void join(JoinConfig join, GridClusterSettings settings) {
    // A starting member asks the listed members who the master is for this long before it may
    // claim mastership itself (Hazelcast: 5 s). Controllers started together are each other's
    // listed members and answer within a second once up; a member not up yet is asked again.
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members()).setConnectionTimeoutSeconds(JOIN_ASK_SECONDS);
  }

  /**
   * Reads count too: a minority's reads may be stale, and entry processors (mints, fenced writes)
   * are writes.
   */
  private static SplitBrainProtectionConfig majority(GridClusterSettings settings, Runnable onMajorityChange) {
    return new SplitBrainProtectionConfig(MAJORITY, true, settings.majority())
        .setProtectOn(SplitBrainProtectionOn.READ_WRITE)
        .addListenerConfig(new SplitBrainProtectionListenerConfig(event -> onMajorityChange.run()));
  }

  /**
   * The wildcard config covers every map, so a new control-plane map is protected without being
   * named here. A minority's writes are discarded at merge: the majority may have moved on.
   */
  /** The in-memory maps ({@link Grid#VOLATILE_PREFIX}), replicated and guarded like the durable ones. */
  private static MapConfig volatileMaps(GridClusterSettings settings, boolean protectedByMajority) {
    MapConfig maps = Grid.volatileMaps()
        .setBackupCount(settings.syncBackupCount())
        .setMergePolicyConfig(
            new MergePolicyConfig(DiscardMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
    if (protectedByMajority) {
      maps.setSplitBrainProtectionName(MAJORITY);
    }
    return maps;
  }

  private static MapConfig maps(GridClusterSettings settings, SystemStore store, boolean protectedByMajority) {
    MapConfig maps = Grid.durableMaps(store)
        .setBackupCount(settings.syncBackupCount())
        .setAsyncBackupCount(0)
        .setMergePolicyConfig(
            new MergePolicyConfig(DiscardMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
    if (protectedByMajority) {
      maps.setSplitBrainProtectionName(MAJORITY);
    }
    return maps;
  }
}
