package dev.canopy.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EC2 Query decoding where the AWS CLI and SDKs push it: filters whose values are lists, lists
 * sent out of order or with gaps, repeated members, long values, and percent-escapes that are
 * nearly right. A client sees the parameters it meant, or the EC2 error code naming the problem.
 */
class QueryDecodingTest {

  private static AwsException error(Runnable r) {
    try {
      r.run();
    } catch (AwsException e) {
      return e;
    }
    throw new AssertionError("no AwsException");
  }

  @Test
  void filterValuesAreListsOrderedByTheirOwnIndex() {
    QueryParams p =
        QueryParams.parseQuery(
            "Action=DescribeInstances&Filter.2.Name=tag%3AName&Filter.2.Value.2=web&Filter.2.Value.1=db"
                + "&Filter.1.Name=instance-state-name&Filter.1.Value.1=running");

    assertThat(p.filters())
        .containsExactly(
            new Filter("instance-state-name", List.of("running")), new Filter("tag:Name", List.of("db", "web")));
  }

  @Test
  void indexesWithGapsKeepTheirOrder() {
    QueryParams p = QueryParams.parseQuery("InstanceId.10=c&InstanceId.2=b&InstanceId.1=a&InstanceId.100=d");

    // Numeric, not lexical, order: 10 comes after 2.
    assertThat(p.list("InstanceId")).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aFilterWithoutValuesHasAnEmptyList() {
    assertThat(QueryParams.parseQuery("Filter.1.Name=vpc-id").filters())
        .containsExactly(new Filter("vpc-id", List.of()));
  }

  @Test
  void aFilterWithValuesButNoNameIsMissingParameter() {
    AwsException e = error(() -> QueryParams.parseQuery("Filter.1.Value.1=x").filters());

    assertThat(e.code()).isEqualTo("MissingParameter");
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.getMessage()).contains("Filter.1.Name");
  }

  @Test
  void deeplyNestedStructuresReadByPath() {
    QueryParams p =
        QueryParams.parseForm(
            ("TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.2.Key=env"
                    + "&TagSpecification.1.Tag.2.Value=prod&TagSpecification.1.Tag.1.Key=Name"
                    + "&TagSpecification.1.Tag.1.Value=web+1")
                .getBytes(StandardCharsets.UTF_8));

    QueryTree spec = p.tree().list("TagSpecification").get(0);
    List<QueryTree> tags = spec.list("Tag");
    assertThat(spec.string("ResourceType")).contains("instance");
    assertThat(tags).extracting(t -> t.requiredString("Key")).containsExactly("Name", "env");
    assertThat(tags).extracting(t -> t.requiredString("Value")).containsExactly("web 1", "prod");
    assertThat(tags.get(1).path()).isEqualTo("TagSpecification.1.Tag.2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"InstanceId.0=a", "InstanceId.-1=a", "InstanceId.01=a", "InstanceId.+1=a",
      "InstanceId.1e1=a", "InstanceId.x=a", "InstanceId.=a", "InstanceId.2147483648=a", "InstanceId.%31%30=a&InstanceId.010=b"})
  void anIndexThatIsNotAPlainPositiveIntegerIsInvalidParameterValue(String query) {
    AwsException e = error(() -> QueryParams.parseQuery(query).list("InstanceId"));

    assertThat(e.code()).isEqualTo("InvalidParameterValue");
    assertThat(e.httpStatus()).isEqualTo(400);
  }

  @Test
  void anEncodedIndexIsTheSameIndex() {
    assertThat(QueryParams.parseQuery("InstanceId.%31=a&InstanceId%2E2=b").list("InstanceId")).containsExactly("a", "b");
  }

  @Test
  void aRepeatedMemberKeepsItsFirstValueAndDoesNotMakeAnotherMember() {
    QueryParams p = QueryParams.parseQuery("InstanceId.1=a&InstanceId.1=b&InstanceId.2=c");

    assertThat(p.list("InstanceId")).containsExactly("a", "c");
    assertThat(p.all("InstanceId.1")).containsExactly("a", "b");
  }

  @Test
  void aListNameUsedAlsoAsAPlainValueStillListsItsMembers() {
    QueryParams p = QueryParams.parseQuery("InstanceId=x&InstanceId.1=a");

    assertThat(p.first("InstanceId")).contains("x");
    assertThat(p.list("InstanceId")).containsExactly("a");
  }

  @Test
  void aLongValueComesThroughWholeButIsClippedInTheErrorMessage() {
    String longValue = "9".repeat(100_000);
    QueryParams p = QueryParams.parseQuery("MaxResults=" + longValue + "&UserData=" + "A".repeat(100_000));

    assertThat(p.first("UserData")).hasValueSatisfying(v -> assertThat(v).hasSize(100_000));
    AwsException e = error(() -> p.integer("MaxResults", 5, 1000));
    assertThat(e.code()).isEqualTo("InvalidParameterValue");
    assertThat(e.getMessage()).hasSizeLessThan(300).contains("MaxResults");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    String eleven = "a.b.c.d.e.f.g.h.i.j.k";
    String ten = "a.b.c.d.e.f.g.h.i.j";

    assertThat(QueryParams.parseQuery(ten + "=1").tree().string(ten)).contains("1");
    assertThat(error(() -> QueryParams.parseQuery(eleven + "=1")).code()).isEqualTo("InvalidParameterValue");
  }

  @Test
  void moreParametersThanTheLimitIsRefused() {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i <= QueryParams.PARAMS_MAX; i++) {
      q.append("P").append(i).append("=1&");
    }

    assertThat(error(() -> QueryParams.parseQuery(q.toString())).code()).isEqualTo("InvalidParameterValue");
  }

  @Test
  void percentEscapesDecodeAsUtf8AndPlusIsASpace() {
    QueryParams p = QueryParams.parseQuery("a=%E2%82%AC&b=%e2%82%ac&c=a+b%2Bc&d=%25&e=&f&g=%3D%26");

    assertThat(p.first("a")).contains("€");
    assertThat(p.first("b")).contains("€");
    assertThat(p.first("c")).contains("a b+c");
    assertThat(p.first("d")).contains("%");
    assertThat(p.first("e")).contains("");
    assertThat(p.first("f")).contains("");
    assertThat(p.first("g")).contains("=&");
  }

  @Test
  void invalidUtf8BecomesTheReplacementCharacterNotAnError() {
    assertThat(QueryParams.parseQuery("k=%C3%28").first("k")).contains("\uFFFD(");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "k=%",
        "k=%4",
        "k=%G1",
        "k=%1G",
        "%=v",
        "k=%%41",
        // Digits outside ASCII are not hex digits, though Character.digit reads them as such.
        "k=%\uFF14\uFF11",
        "k=%\u0664\u0661",
        "k=%4\uFF21"
      })
  void aBrokenEscapeIsMalformedQueryString(String query) {
    AwsException e = error(() -> QueryParams.parseQuery(query));

    assertThat(e.code()).isEqualTo("MalformedQueryString");
  }

  @Test
  void theActionMustBeNonEmpty() {
    assertThat(error(() -> QueryParams.parseQuery("Action=&Version=2016-11-15").action()).code())
        .isEqualTo("MissingAction");
    assertThat(QueryParams.parseQuery("Action=RunInstances&Action=TerminateInstances").action())
        .isEqualTo("RunInstances");
  }

  @Test
  void aBooleanOrIntegerWithSurroundingSpacesIsRead() {
    QueryParams p = QueryParams.parseQuery("DryRun=+TRUE+&MaxCount=%201%20");

    assertThat(p.bool("DryRun")).contains(true);
    assertThat(p.integer("MaxCount", 1, 10)).contains(1);
  }

  @Test
  void aMissingNodeIsEmptyAtAnyDepth() {
    QueryTree t = QueryParams.parseQuery("A.1.B=x").tree();

    assertThat(t.at("A.2.B.3.C").isPresent()).isFalse();
    assertThat(t.at("A.2.B.3.C").path()).isEqualTo("A.2.B.3.C");
    assertThat(t.list("Nope")).isEmpty();
    assertThatThrownBy(() -> t.at("A.2").requiredString("B"))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.getMessage()).contains("A.2.B"));
  }
}
