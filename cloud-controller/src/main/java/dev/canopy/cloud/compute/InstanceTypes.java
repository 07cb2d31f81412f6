package dev.canopy.cloud.compute;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The instance types this cloud offers, from config, in configured order. */
public final class InstanceTypes {

  /** AWS's names and sizes, with small root disks that suit a private cloud's nodes. */
  public static final List<InstanceType> DEFAULTS = List.of(
      new InstanceType("t3.nano", 2, 512, 8),
      new InstanceType("t3.micro", 2, 1024, 8),
      new InstanceType("t3.small", 2, 2048, 8),
      new InstanceType("t3.medium", 2, 4096, 16),
      new InstanceType("m5.large", 2, 8192, 32),
      new InstanceType("m5.xlarge", 4, 16384, 64),
      new InstanceType("c5.large", 2, 4096, 32));

  private final Map<String, InstanceType> byName = new LinkedHashMap<>();

  public InstanceTypes(List<InstanceType> types) {
    for (InstanceType type : types) {
      if (type.vcpus() < 1 || type.memoryMib() < 1 || type.diskGib() < 0) {
        throw new IllegalArgumentException("instance type " + type.name() + " needs at least 1 vCPU and 1 MiB");
      }
      if (byName.putIfAbsent(type.name(), type) != null) {
        throw new IllegalArgumentException("instance type " + type.name() + " is configured twice");
      }
    }
  }

  public static InstanceTypes defaults() {
    return new InstanceTypes(DEFAULTS);
  }

  public Optional<InstanceType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public List<InstanceType> all() {
    return List.copyOf(byName.values());
  }
}
