package dev.canopy.cloud.volumes;

import java.time.Instant;
import java.util.Map;

/**
 * An instance's root volume, as DescribeVolumes shows it.
 *
 * @param volumeId {@code vol-} and the instance id's hex digits, so it is stable and needs no storage
 * @param sizeGib the instance type's root disk
 * @param createTime the instance's launch time (the disk is made for the launch)
 * @param device the device name the instance reports as its root device
 */
public record RootVolume(
    String volumeId,
    String instanceId,
    String zone,
    int sizeGib,
    Instant createTime,
    String device,
    Map<String, String> tags) {

  public RootVolume {
    tags = Map.copyOf(tags);
  }
}
