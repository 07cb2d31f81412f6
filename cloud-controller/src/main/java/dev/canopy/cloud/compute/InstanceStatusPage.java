package dev.canopy.cloud.compute;

import java.util.List;

/** One page of DescribeInstanceStatus, in launch order. */
public record InstanceStatusPage(List<InstanceStatus> statuses, String nextToken) {

  public InstanceStatusPage {
    statuses = List.copyOf(statuses);
  }
}
