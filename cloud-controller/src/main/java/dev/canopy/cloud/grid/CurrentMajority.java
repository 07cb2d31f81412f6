package dev.canopy.cloud.grid;

import com.hazelcast.cluster.Member;
import com.hazelcast.splitbrainprotection.HeartbeatAware;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionFunction;
import java.util.Collection;

/**
 * The grid's split-brain rule with a minimum that follows the controller set: a cluster may read
 * and write while it holds a majority of the controllers there are NOW, not of those there were at
 * start. Hazelcast's own member-count rule fixes its minimum in the configuration; this one reads
 * {@link #controllers} at each evaluation. Being heartbeat-aware makes Hazelcast re-evaluate it
 * with every member heartbeat (once a second), so a new minimum takes effect within a second even
 * when no member joins or leaves.
 */
final class CurrentMajority implements SplitBrainProtectionFunction, HeartbeatAware {

  private volatile int controllers;

  CurrentMajority(int controllers) {
    setControllers(controllers);
  }

  /** The controller set now has {@code controllers} controllers. */
  void setControllers(int controllers) {
    if (controllers < 1) {
      throw new IllegalArgumentException("a controller set has at least one controller: " + controllers);
    }
    this.controllers = controllers;
  }

  int minimum() {
    return controllers / 2 + 1;
  }

  @Override
  public boolean apply(Collection<Member> members) {
    return members.size() >= minimum();
  }

  /** Only the re-evaluation that follows each heartbeat is wanted; the heartbeat itself says nothing here. */
  @Override
  public void onHeartbeat(Member member, long timestamp) {}
}
