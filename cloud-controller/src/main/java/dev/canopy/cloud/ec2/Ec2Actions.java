package dev.canopy.cloud.ec2;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The registry of EC2 actions by name; each resource family contributes its actions. */
public final class Ec2Actions {

  private final Map<String, Ec2Action> byName = new TreeMap<>();

  /** The region family alone; the cloud's assembly registers the other families beside it. */
  public static Ec2Actions forCloud(RegionCatalog regions) {
    return new Ec2Actions().register(RegionActions.of(regions));
  }

  public Ec2Actions register(Collection<? extends Ec2Action> actions) {
    for (Ec2Action action : actions) {
      if (byName.putIfAbsent(action.name(), action) != null) {
        throw new IllegalStateException("two handlers for EC2 action " + action.name());
      }
    }
    return this;
  }

  public Optional<Ec2Action> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
