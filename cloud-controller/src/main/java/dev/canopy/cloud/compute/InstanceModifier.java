package dev.canopy.cloud.compute;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.Scheduler;
import java.time.InstantSource;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * ModifyInstanceAttribute: one attribute per call, written by compare-and-set so a concurrent
 * stop, start or terminate is never overwritten. Rules, as EC2 has them:
 *
 * <pre>
 * attribute                          allowed in            checked against
 * instanceType                       stopped               the configured types; the node's free capacity
 * userData                           stopped               (size: the API layer)
 * groupSet                           any live state        the account's groups
 * disableApiTermination, disableApiStop,
 * instanceInitiatedShutdownBehavior,
 * sourceDestCheck                    any live state        -
 * </pre>
 *
 * "Live" is every state but shutting-down and terminated: a dying instance has nothing to change.
 */
final class InstanceModifier {

  private final InstanceStore store;
  private final InstanceTypes types;
  private final SecurityGroupCheck groups;
  private final Scheduler scheduler;
  private final Leadership leadership;
  private final InstantSource clock;

  InstanceModifier(InstanceStore store, InstanceTypes types, SecurityGroupCheck groups, Scheduler scheduler,
      Leadership leadership, InstantSource clock) {
    this.store = store;
    this.types = types;
    this.groups = groups;
    this.scheduler = scheduler;
    this.leadership = leadership;
    this.clock = clock;
  }

  /** @return the instance as stored after the change */
  Instance modify(String accountId, String instanceId, AttributeChange change) {
    if (!leadership.isLeader()) {
      throw ComputeErrors.notLeader();
    }
    Instance before = store.owned(accountId, List.of(instanceId), clock.instant()).get(0);
    if (change instanceof AttributeChange.InstanceType type) {
      return resize(before, type.name());
    }
    if (change instanceof AttributeChange.UserData userData) {
      return apply(before, true, i -> i.withUserData(userData.base64()));
    }
    if (change instanceof AttributeChange.Groups g) {
      List<GroupRef> resolved = groups.resolve(accountId, g.groupIds(), List.of());
      return apply(before, false, i -> i.withGroups(resolved));
    }
    if (change instanceof AttributeChange.DisableApiTermination d) {
      return apply(before, false, i -> i.withAttributes(i.attributes().withDisableApiTermination(d.value())));
    }
    if (change instanceof AttributeChange.DisableApiStop d) {
      return apply(before, false, i -> i.withAttributes(i.attributes().withDisableApiStop(d.value())));
    }
    if (change instanceof AttributeChange.InstanceInitiatedShutdownBehavior b) {
      return apply(before, false, i -> i.withAttributes(i.attributes().withShutdownBehavior(b.value())));
    }
    if (change instanceof AttributeChange.SourceDestCheck c) {
      return apply(before, false, i -> i.withAttributes(i.attributes().withSourceDestCheck(c.value())));
    }
    throw new IllegalStateException("unhandled attribute change " + change);
  }

  /** Applies {@code change} when the instance (re-read on each attempt) is still in a state that allows it. */
  private Instance apply(Instance before, boolean onlyStopped, UnaryOperator<Instance> change) {
    return store.update(before.instanceId(), i -> {
      check(i, onlyStopped);
      return change.apply(i);
    }).orElseThrow(() -> ComputeErrors.instanceNotFound(List.of(before.instanceId())));
  }

  private static void check(Instance i, boolean onlyStopped) {
    if (onlyStopped && i.state() != InstanceState.STOPPED) {
      throw ComputeErrors.notStopped(i.instanceId());
    }
    if (i.state() == InstanceState.SHUTTING_DOWN || i.state() == InstanceState.TERMINATED) {
      throw ComputeErrors.incorrectState(i.instanceId(), i.state(), "modified");
    }
  }

  /**
   * A stopped instance keeps its reservation on its node, so a new type resizes that
   * reservation in place: the growth is reserved first (InsufficientInstanceCapacity when the
   * node cannot hold it), the record is switched by compare-and-set, then the shrinkage is
   * released. A lost race (the instance started or was terminated meanwhile) gives the growth back.
   */
  private Instance resize(Instance before, String typeName) {
    InstanceType type = types.find(typeName)
        .orElseThrow(() -> Ec2Errors.invalidParameterValue("Invalid value '" + typeName + "' for InstanceType."));
    check(before, true);
    if (before.instanceType().equals(type.name())) {
      return before;
    }
    Capacity old = before.reserved();
    Capacity wanted = type.capacity();
    Capacity grow = new Capacity(Math.max(0, wanted.vcpus() - old.vcpus()), Math.max(0, wanted.memoryMib() - old.memoryMib()),
        Math.max(0, wanted.diskGib() - old.diskGib()));
    Capacity shrink = new Capacity(Math.max(0, old.vcpus() - wanted.vcpus()), Math.max(0, old.memoryMib() - wanted.memoryMib()),
        Math.max(0, old.diskGib() - wanted.diskGib()));
    if (!grow.equals(Capacity.ZERO) && !scheduler.reserveOn(before.nodeId(), grow)) {
      throw ComputeErrors.insufficientCapacity(type.name());
    }
    Instance after;
    try {
      after = store.update(before.instanceId(), i -> {
        // The reservation we sized against must still be the one recorded, or the deltas are wrong.
        if (i.state() != InstanceState.STOPPED || !i.reserved().equals(old)) {
          throw ComputeErrors.notStopped(i.instanceId());
        }
        return i.withInstanceType(type.name(), wanted);
      }).orElseThrow(() -> ComputeErrors.instanceNotFound(List.of(before.instanceId())));
    } catch (RuntimeException e) {
      if (!grow.equals(Capacity.ZERO)) {
        scheduler.release(before.nodeId(), grow);
      }
      throw e;
    }
    if (!shrink.equals(Capacity.ZERO)) {
      scheduler.release(before.nodeId(), shrink);
    }
    return after;
  }
}
