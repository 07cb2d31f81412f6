package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.metering.buckets.BucketStorageSource;
import java.util.List;

/** Buckets measured by whichever storage node can answer ({@link Failover}): every node serves the same replicated objects. */
public final class FailoverBucketStorage implements BucketStorageSource {

  private final Failover<RemoteBucketStorage> nodes;

  public FailoverBucketStorage(List<RemoteBucketStorage> nodes) {
    this.nodes = new Failover<>(nodes, nodes.stream().map(RemoteBucketStorage::base).toList());
  }

  @Override
  public long bytes(String bucketId) {
    return nodes.call(node -> node.bytes(bucketId));
  }
}
