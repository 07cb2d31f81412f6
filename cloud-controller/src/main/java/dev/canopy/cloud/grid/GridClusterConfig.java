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

  private GridClusterConfig() {}

  /**
   * @param onMajorityChange called on a Hazelcast event thread whenever the majority appears or
   *     goes away
   */
  static Config build(GridClusterSettings settings, SystemStore store, CurrentMajority majority, Runnable onMajorityChange) {
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
    // Hazelcast's own join waits are kept (5 s before admitting joiners, 5 s asking the listed
    // members). Shorter ones (1 s and 2 s) took seconds off a cold start, but in the CI run of the
    // unit suite a test member then failed to join for 300 s: members that start together must
    // find one master, and that is worth more than the seconds.
    join(config.getAdvancedNetworkConfig().getJoin(), settings);
    boolean protectedByMajority = settings.controllers() > 1;
    if (protectedByMajority) {
      config.addSplitBrainProtectionConfig(majority(settings, majority, onMajorityChange));
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
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
  }

  /**
   * Reads count too: a minority's reads may be stale, and entry processors (mints, fenced writes)
   * are writes. The minimum is a majority of the current controller set ({@link CurrentMajority}),
   * which a join or leave changes at run time.
   */
  private static SplitBrainProtectionConfig majority(GridClusterSettings settings, CurrentMajority current,
      Runnable onMajorityChange) {
    return new SplitBrainProtectionConfig(MAJORITY, true, settings.majority())
        .setFunctionImplementation(current)
        .setProtectOn(SplitBrainProtectionOn.READ_WRITE)
        .addListenerConfig(new SplitBrainProtectionListenerConfig(event -> onMajorityChange.run()));
  }

  /**
   * The wildcard config covers every map, so a new control-plane map is protected without being
   * named here. A minority's writes are discarded at merge: the majority may have moved on.
   */
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
}
