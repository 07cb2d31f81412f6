package dev.canopy.cloud.compute;

import java.util.List;

/** One page of DescribeInstances, in launch order. */
public record InstancePage(List<Instance> instances, String nextToken) {

  public InstancePage {
    instances = List.copyOf(instances);
  }
}
