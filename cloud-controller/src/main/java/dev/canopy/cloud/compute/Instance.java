package dev.canopy.cloud.compute;

import dev.canopy.cloud.scheduler.Capacity;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.canopy.cloud.instancehours.RunInterval;
import java.time.Instant;
import java.util.List;

/**
 * One instance as the grid keeps it (key: instance id). Immutable; changes are new records
 * written by compare-and-set, so a node's ack and a user's request never overwrite each other.
 *
 * @param stateReason why the state last changed, when EC2 reports one; null otherwise
 * @param stateTransitionReason EC2's {@code reason} text ("User initiated (2024-...)"), or ""
 * @param nodeId the node holding the instance's reservation (and, once launched, its domain)
 * @param epoch the leadership epoch the placement was made under
 * @param privateIp null until the node reports one
 * @param userData base64, as sent to RunInstances; null when none
 * @param reserved the capacity reserved on {@code nodeId}; released exactly once, on the move
 *     to terminated
 * @param impaired true while the node is not heart-beating (the instance is kept, never dropped)
 * @param terminatedAt when it reached terminated (purged an hour later); null before
 * @param attributes termination and stop protection, shutdown behaviour, source/dest check;
 *     a record written before they existed reads as {@link InstanceAttributes#DEFAULTS}
 * @param lastRun its latest billable interval in {@code running} (open while it runs), kept with
 *     the record so that whoever holds the lease can record it in the run times from the record
 *     alone; null before it first ran (and in records written before run times existed, which
 *     leave it out of the JSON, so they compare equal to their re-encoding)
 */
public record Instance(
    String instanceId,
    String reservationId,
    String ownerId,
    String imageId,
    String instanceType,
    InstanceState state,
    StateReason stateReason,
    String stateTransitionReason,
    String keyName,
    List<GroupRef> groups,
    String zone,
    String nodeId,
    long epoch,
    String privateIp,
    String macAddress,
    Instant launchTime,
    String clientToken,
    String userData,
    int amiLaunchIndex,
    String kernelId,
    String ramdiskId,
    Capacity reserved,
    boolean impaired,
    Instant terminatedAt,
    InstanceAttributes attributes,
    @JsonInclude(JsonInclude.Include.NON_NULL) RunInterval lastRun) {

  public Instance {
    groups = List.copyOf(groups);
    attributes = attributes == null ? InstanceAttributes.DEFAULTS : attributes;
  }

  /** An instance with the default attributes (the shape before attributes existed). */
  public Instance(String instanceId, String reservationId, String ownerId, String imageId, String instanceType,
      InstanceState state, StateReason stateReason, String stateTransitionReason, String keyName, List<GroupRef> groups,
      String zone, String nodeId, long epoch, String privateIp, String macAddress, Instant launchTime, String clientToken,
      String userData, int amiLaunchIndex, String kernelId, String ramdiskId, Capacity reserved, boolean impaired,
      Instant terminatedAt) {
    this(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason, keyName,
        groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex, kernelId,
        ramdiskId, reserved, impaired, terminatedAt, InstanceAttributes.DEFAULTS, null);
  }

  /** A new instance that has not run yet. */
  public Instance(String instanceId, String reservationId, String ownerId, String imageId, String instanceType,
      InstanceState state, StateReason stateReason, String stateTransitionReason, String keyName, List<GroupRef> groups,
      String zone, String nodeId, long epoch, String privateIp, String macAddress, Instant launchTime, String clientToken,
      String userData, int amiLaunchIndex, String kernelId, String ramdiskId, Capacity reserved, boolean impaired,
      Instant terminatedAt, InstanceAttributes attributes) {
    this(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason, keyName,
        groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex, kernelId,
        ramdiskId, reserved, impaired, terminatedAt, attributes, null);
  }

  /**
   * This instance in state {@code to}.
   *
   * @throws IllegalStateException when the table in {@link InstanceState} forbids the move
   */
  public Instance moveTo(InstanceState to, StateReason reason, String transitionReason, Instant now) {
    if (!state.canMoveTo(to)) {
      throw new IllegalStateException(instanceId + " cannot move from " + state + " to " + to);
    }
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, to, reason, transitionReason, keyName,
        groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex, kernelId,
        ramdiskId, reserved, impaired, to == InstanceState.TERMINATED ? now : terminatedAt, attributes, lastRunAfter(to, now));
  }

  /**
   * Entering running opens a new interval of the current type, leaving it closes the open one; a
   * move between two other states leaves it as it was.
   */
  private RunInterval lastRunAfter(InstanceState to, Instant now) {
    boolean running = state == InstanceState.RUNNING;
    if (!running && to == InstanceState.RUNNING) {
      return RunInterval.openedAt(instanceType, now);
    }
    return running && to != InstanceState.RUNNING && lastRun != null && lastRun.isOpen() ? lastRun.closedAt(now) : lastRun;
  }

  /**
   * A running instance whose record predates run times ({@code lastRun} absent: written by a
   * Canopy before this field) with an interval opened at {@code at}; any other instance as it is.
   * From the moment it is noticed, not from its launch: the record cannot say whether it stopped
   * and started since, and a bill never counts time that may not have been run.
   */
  public Instance withRunTimeFrom(Instant at) {
    if (state != InstanceState.RUNNING || lastRun != null) {
      return this;
    }
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason,
        keyName, groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex, kernelId,
        ramdiskId, reserved, impaired, terminatedAt, attributes, RunInterval.openedAt(instanceType, at));
  }

  public Instance withPrivateIp(String ip) {
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason,
        keyName, groups, zone, nodeId, epoch, ip, macAddress, launchTime, clientToken, userData, amiLaunchIndex, kernelId,
        ramdiskId, reserved, impaired, terminatedAt, attributes, lastRun);
  }

  public Instance withImpaired(boolean flag) {
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason,
        keyName, groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex,
        kernelId, ramdiskId, reserved, flag, terminatedAt, attributes, lastRun);
  }

  public Instance withAttributes(InstanceAttributes changed) {
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason,
        keyName, groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex,
        kernelId, ramdiskId, reserved, impaired, terminatedAt, changed, lastRun);
  }

  /** This instance resized: a new type and the reservation that goes with it on the same node. */
  public Instance withInstanceType(String type, Capacity nowReserved) {
    return new Instance(instanceId, reservationId, ownerId, imageId, type, state, stateReason, stateTransitionReason,
        keyName, groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex,
        kernelId, ramdiskId, nowReserved, impaired, terminatedAt, attributes, lastRun);
  }

  public Instance withUserData(String base64) {
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason,
        keyName, groups, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, base64, amiLaunchIndex,
        kernelId, ramdiskId, reserved, impaired, terminatedAt, attributes, lastRun);
  }

  public Instance withGroups(List<GroupRef> changed) {
    return new Instance(instanceId, reservationId, ownerId, imageId, instanceType, state, stateReason, stateTransitionReason,
        keyName, changed, zone, nodeId, epoch, privateIp, macAddress, launchTime, clientToken, userData, amiLaunchIndex,
        kernelId, ramdiskId, reserved, impaired, terminatedAt, attributes, lastRun);
  }
}
