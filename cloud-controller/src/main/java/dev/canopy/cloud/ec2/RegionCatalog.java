package dev.canopy.cloud.ec2;

import java.util.List;

/**
 * The region this cloud serves and its zones, from config. EC2 answers for one region only:
 * a private cloud is one region.
 *
 * @param ec2Endpoint the host (and port) clients reach EC2 on, as DescribeRegions reports it
 */
public record RegionCatalog(String region, List<String> zones, String ec2Endpoint) {

  public RegionCatalog {
    zones = List.copyOf(zones);
  }

  /**
   * A zone's stable id, like AWS's use1-az1: here the region name and the zone's position, so
   * ids stay the same when zones are renamed.
   */
  public String zoneId(String zone) {
    return region + "-az" + (zones.indexOf(zone) + 1);
  }
}
