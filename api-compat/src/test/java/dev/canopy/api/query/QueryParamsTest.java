package dev.canopy.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParamsTest {

  private static void assertAwsError(Runnable r, String code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void formBodies() {
    QueryParams p = QueryParams.parseForm("Action=DescribeKeyPairs&KeyName.1=a+b%C3%A9".getBytes(StandardCharsets.UTF_8));

    assertThat(p.action()).isEqualTo("DescribeKeyPairs");
    assertThat(p.list("KeyName")).containsExactly("a bé");
  }

  @Test
  void actionVersionAndPlusAsSpace() {
    QueryParams p = QueryParams.parseQuery("Action=RunInstances&Version=2016-11-15&KeyName=my+key%21");

    assertThat(p.action()).isEqualTo("RunInstances");
    assertThat(p.version()).contains("2016-11-15");
    assertThat(p.first("KeyName")).contains("my key!");
    assertThat(p.required("KeyName")).isEqualTo("my key!");
  }

  @Test
  void queryStringAndFormBodyTogether() {
    QueryParams p = QueryParams.parse("Action=DescribeRegions", "Version=2016-11-15&Action=Ignored");

    assertThat(p.action()).isEqualTo("DescribeRegions");
    assertThat(p.all("Action")).containsExactly("DescribeRegions", "Ignored");
  }

  @Test
  void listsAreOrderedByIndexWithGaps() {
    QueryParams p = QueryParams.parseQuery("InstanceId.10=i-10&InstanceId.2=i-2&InstanceId.1=i-1&Other=x");

    assertThat(p.list("InstanceId")).containsExactly("i-1", "i-2", "i-10");
    assertThat(p.list("Missing")).isEmpty();
  }

  @Test
  void nestedStructures() {
    QueryParams p =
        QueryParams.parseQuery(
            "TagSpecification.1.ResourceType=instance"
                + "&TagSpecification.1.Tag.2.Key=env&TagSpecification.1.Tag.2.Value=prod"
                + "&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web+1"
                + "&TagSpecification.2.ResourceType=volume");

    List<QueryTree> specs = p.tree().list("TagSpecification");
    assertThat(specs).hasSize(2);
    assertThat(specs.get(0).requiredString("ResourceType")).isEqualTo("instance");
    List<QueryTree> tags = specs.get(0).list("Tag");
    assertThat(tags).extracting(t -> t.requiredString("Key")).containsExactly("Name", "env");
    assertThat(tags.get(0).string("Value")).contains("web 1");
    assertThat(specs.get(1).list("Tag")).isEmpty();
    assertThat(p.tree().at("TagSpecification.1.Tag.2").path()).isEqualTo("TagSpecification.1.Tag.2");
    assertThat(p.tree().at("No.Such.Thing").isPresent()).isFalse();
  }

  @Test
  void filters() {
    QueryParams p =
        QueryParams.parseQuery(
            "Filter.2.Name=instance-state-name&Filter.2.Value.1=running"
                + "&Filter.1.Name=tag%3AName&Filter.1.Value.2=b&Filter.1.Value.1=a");

    assertThat(p.filters())
        .containsExactly(new Filter("tag:Name", List.of("a", "b")), new Filter("instance-state-name", List.of("running")));
  }

  @Test
  void aFilterWithoutName() {
    assertAwsError(() -> QueryParams.parseQuery("Filter.1.Value.1=a").filters(), "MissingParameter");
  }

  @Test
  void integersAndBooleans() {
    QueryParams p = QueryParams.parseQuery("MinCount=1&MaxCount=10&DryRun=TRUE&Monitoring.Enabled=false");

    assertThat(p.integer("MinCount", 1, 100)).contains(1);
    assertThat(p.integer("Absent", 1, 100)).isEmpty();
    assertThat(p.bool("DryRun")).contains(true);
    assertThat(p.tree().bool("Monitoring.Enabled")).contains(false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"MaxCount=ten", "MaxCount=1.5", "MaxCount=99999999999", "MaxCount=0", "MaxCount=101"})
  void badIntegers(String query) {
    assertAwsError(() -> QueryParams.parseQuery(query).integer("MaxCount", 1, 100), "InvalidParameterValue");
  }

  @Test
  void badIntegerMessageNamesTheParameter() {
    assertThatThrownBy(() -> QueryParams.parseQuery("MaxCount=ten").integer("MaxCount", 1, 100))
        .hasMessage("Value (ten) for parameter MaxCount is invalid. Expected an integer.");
  }

  @Test
  void badBoolean() {
    assertAwsError(() -> QueryParams.parseQuery("DryRun=yes").bool("DryRun"), "InvalidParameterValue");
  }

  @ParameterizedTest
  @ValueSource(strings = {"InstanceId.x=i-1", "InstanceId.0=i-1", "InstanceId.-1=i-1", "InstanceId.01=i-1"})
  void badListIndices(String query) {
    assertAwsError(() -> QueryParams.parseQuery(query).list("InstanceId"), "InvalidParameterValue");
  }

  @Test
  void missingThings() {
    assertAwsError(() -> QueryParams.parseQuery("Version=1").action(), "MissingAction");
    assertAwsError(() -> QueryParams.parseQuery("Action=").action(), "MissingAction");
    assertAwsError(() -> QueryParams.parseQuery("").required("ImageId"), "MissingParameter");
  }

  @Test
  void malformedAndOversizedInput() {
    assertAwsError(() -> QueryParams.parseQuery("Action=%ZZ"), "MalformedQueryString");
    assertAwsError(() -> QueryParams.parseQuery("a.b.c.d.e.f.g.h.i.j.k=1"), "InvalidParameterValue");
    assertAwsError(() -> QueryParams.parseQuery("a=1&".repeat(QueryParams.PARAMS_MAX + 1)), "InvalidParameterValue");
  }
}
