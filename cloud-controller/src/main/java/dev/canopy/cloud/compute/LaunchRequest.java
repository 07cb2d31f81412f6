package dev.canopy.cloud.compute;

import java.util.List;
import java.util.Map;

/**
 * RunInstances as the domain sees it, already parsed and bounded by the API layer. Stored with
 * a client token, so a retry is recognised by equality of everything but the token.
 *
 * @param zone Placement.AvailabilityZone, or null for any zone
 * @param userData base64 as received (at most 16 KB decoded), or null
 * @param tags TagSpecification tags for resource type instance
 * @param attributes DisableApiTermination, DisableApiStop, InstanceInitiatedShutdownBehavior;
 *     null means EC2's defaults (as in a token record written before they existed)
 */
public record LaunchRequest(
    String imageId,
    String instanceType,
    int minCount,
    int maxCount,
    String keyName,
    List<String> securityGroupIds,
    List<String> securityGroupNames,
    String zone,
    String userData,
    String clientToken,
    Map<String, String> tags,
    InstanceAttributes attributes) {

  public LaunchRequest {
    attributes = attributes == null ? InstanceAttributes.DEFAULTS : attributes;
    securityGroupIds = List.copyOf(securityGroupIds);
    securityGroupNames = List.copyOf(securityGroupNames);
    tags = Map.copyOf(tags);
    if (minCount < 1 || maxCount < minCount) {
      throw new IllegalArgumentException("counts must satisfy 1 <= min <= max: " + minCount + ", " + maxCount);
    }
  }

  /** A request with EC2's default attributes. */
  public LaunchRequest(String imageId, String instanceType, int minCount, int maxCount, String keyName,
      List<String> securityGroupIds, List<String> securityGroupNames, String zone, String userData, String clientToken,
      Map<String, String> tags) {
    this(imageId, instanceType, minCount, maxCount, keyName, securityGroupIds, securityGroupNames, zone, userData,
        clientToken, tags, InstanceAttributes.DEFAULTS);
  }

  /** The request without its token: what a retry must match. */
  LaunchRequest withoutToken() {
    return new LaunchRequest(imageId, instanceType, minCount, maxCount, keyName, securityGroupIds, securityGroupNames,
        zone, userData, null, tags, attributes);
  }
}
