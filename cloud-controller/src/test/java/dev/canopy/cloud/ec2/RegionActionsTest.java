package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Principal;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionActionsTest {

  private final Ec2Actions actions = Ec2Actions.forCloud(new RegionCatalog("lab-1", List.of("lab-1a", "lab-1b"), "ec2.lab"));

  private String call(String query) {
    QueryParams params = QueryParams.parseQuery(query);
    XmlWriter xml = XmlWriter.fragment();
    actions.find(params.first("Action").orElseThrow()).orElseThrow()
        .handle(new Ec2Request(new Principal("123456789012", "AKIA"), params, "req-1"), xml);
    return xml.toString();
  }

  @Test
  void describesTheOneRegion() {
    String xml = call("Action=DescribeRegions");
    assertThat(xml).contains("<regionName>lab-1</regionName>").contains("<regionEndpoint>ec2.lab</regionEndpoint>");
    assertThat(call("Action=DescribeRegions&Filter.1.Name=region-name&Filter.1.Value.1=other-*")).doesNotContain("<item>");
    assertThatThrownBy(() -> call("Action=DescribeRegions&RegionName.1=us-east-1"))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void describesZonesWithNamesIdsAndFilters() {
    String all = call("Action=DescribeAvailabilityZones");
    assertThat(all).contains("<zoneName>lab-1a</zoneName>").contains("<zoneName>lab-1b</zoneName>")
        .contains("<zoneId>lab-1-az2</zoneId>").contains("<zoneState>available</zoneState>");
    String one = call("Action=DescribeAvailabilityZones&ZoneName.1=lab-1b");
    assertThat(one).contains("lab-1b").doesNotContain("<zoneName>lab-1a");
    String byId = call("Action=DescribeAvailabilityZones&ZoneId.1=lab-1-az1");
    assertThat(byId).contains("<zoneName>lab-1a").doesNotContain("<zoneName>lab-1b");
    String filtered = call("Action=DescribeAvailabilityZones&Filter.1.Name=zone-name&Filter.1.Value.1=*b");
    assertThat(filtered).contains("<zoneName>lab-1b").doesNotContain("<zoneName>lab-1a");
    assertThatThrownBy(() -> call("Action=DescribeAvailabilityZones&ZoneName.1=lab-1z"))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> call("Action=DescribeAvailabilityZones&Filter.1.Name=colour&Filter.1.Value.1=x"))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
  }
}
