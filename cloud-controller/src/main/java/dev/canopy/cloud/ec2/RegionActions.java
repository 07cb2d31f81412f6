package dev.canopy.cloud.ec2;

import dev.canopy.cloud.resources.Filters;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.api.xml.XmlWriter;
import java.util.List;

/** DescribeRegions and DescribeAvailabilityZones: the region and zones of {@link RegionCatalog}. */
public final class RegionActions {

  private RegionActions() {}

  public static List<Ec2Action> of(RegionCatalog catalog) {
    return List.of(new DescribeRegions(catalog), new DescribeAvailabilityZones(catalog));
  }

  record DescribeRegions(RegionCatalog catalog) implements Ec2Action {
    @Override
    public String name() {
      return "DescribeRegions";
    }

    @Override
    public void handle(Ec2Request request, XmlWriter xml) {
      List<String> names = request.params().list("RegionName");
      for (String name : names) {
        if (!name.equals(catalog.region())) {
          throw Ec2Errors.invalidParameterValue("Invalid region: " + name);
        }
      }
      List<Filter> filters = request.params().filters();
      boolean shown =
          Filters.matchAll(
              filters,
              name -> switch (name) {
                case "region-name" -> List.of(catalog.region());
                case "endpoint" -> List.of(catalog.ec2Endpoint());
                case "opt-in-status" -> List.of("opt-in-not-required");
                default -> throw Ec2Errors.invalidParameterValue("The filter '" + name + "' is invalid");
              });
      xml.start("regionInfo");
      if (shown) {
        xml.start("item")
            .element("regionName", catalog.region())
            .element("regionEndpoint", catalog.ec2Endpoint())
            .element("optInStatus", "opt-in-not-required")
            .end();
      }
      xml.end();
    }
  }

  record DescribeAvailabilityZones(RegionCatalog catalog) implements Ec2Action {
    @Override
    public String name() {
      return "DescribeAvailabilityZones";
    }

    @Override
    public void handle(Ec2Request request, XmlWriter xml) {
      List<String> names = request.params().list("ZoneName");
      List<String> ids = request.params().list("ZoneId");
      for (String name : names) {
        if (!catalog.zones().contains(name)) {
          throw Ec2Errors.invalidParameterValue("The zone '" + name + "' does not exist.");
        }
      }
      for (String id : ids) {
        if (catalog.zones().stream().noneMatch(z -> catalog.zoneId(z).equals(id))) {
          throw Ec2Errors.invalidParameterValue("The zone id '" + id + "' does not exist.");
        }
      }
      List<Filter> filters = request.params().filters();
      xml.start("availabilityZoneInfo");
      for (String zone : catalog.zones()) {
        String zoneId = catalog.zoneId(zone);
        boolean named = (names.isEmpty() && ids.isEmpty()) || names.contains(zone) || ids.contains(zoneId);
        boolean shown =
            named
                && Filters.matchAll(
                    filters,
                    name -> switch (name) {
                      case "zone-name" -> List.of(zone);
                      case "zone-id" -> List.of(zoneId);
                      case "region-name" -> List.of(catalog.region());
                      case "state" -> List.of("available");
                      case "zone-type" -> List.of("availability-zone");
                      case "group-name", "network-border-group" -> List.of(catalog.region());
                      case "opt-in-status" -> List.of("opt-in-not-required");
                      case "message" -> List.of();
                      default -> throw Ec2Errors.invalidParameterValue("The filter '" + name + "' is invalid");
                    });
        if (!shown) {
          continue;
        }
        xml.start("item")
            .element("zoneName", zone)
            .element("zoneState", "available")
            .element("regionName", catalog.region())
            .element("zoneId", zoneId)
            .element("zoneType", "availability-zone")
            .element("optInStatus", "opt-in-not-required")
            .element("groupName", catalog.region())
            .element("networkBorderGroup", catalog.region())
            .start("messageSet").end()
            .end();
      }
      xml.end();
    }
  }
}
