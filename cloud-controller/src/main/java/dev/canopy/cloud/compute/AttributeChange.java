package dev.canopy.cloud.compute;

import java.util.List;

/**
 * One ModifyInstanceAttribute call: EC2 changes exactly one attribute per call, so a change is
 * one of these records, already parsed and bounded by the API layer.
 */
public sealed interface AttributeChange {

  /** Only while stopped; the type must be one this cloud offers. */
  record InstanceType(String name) implements AttributeChange {}

  /** Only while stopped; base64 as received (checked for size by the API layer), or null to clear. */
  record UserData(String base64) implements AttributeChange {}

  record DisableApiTermination(boolean value) implements AttributeChange {}

  record DisableApiStop(boolean value) implements AttributeChange {}

  record InstanceInitiatedShutdownBehavior(ShutdownBehavior value) implements AttributeChange {}

  record SourceDestCheck(boolean value) implements AttributeChange {}

  /** Replaces the instance's groups; resolved like RunInstances' SecurityGroupId.N. */
  record Groups(List<String> groupIds) implements AttributeChange {
    public Groups {
      groupIds = List.copyOf(groupIds);
      if (groupIds.isEmpty()) {
        throw new IllegalArgumentException("at least one group id");
      }
    }
  }
}
