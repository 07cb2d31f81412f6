package dev.canopy.storage.s3.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostPolicyTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final String SIGNED = "\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"}, {\"x-amz-credential\":\"AKID/20261206/r/s3/aws4_request\"},"
      + " {\"x-amz-date\":\"20261206T095900Z\"}";

  private static PostPolicy policy(String expiration, String conditions) {
    String json = "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + conditions + "]}";
    return PostPolicy.parse(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static PostPolicy policy(String conditions) {
    return policy("2026-12-06T11:00:00.000Z", conditions);
  }

  private static Map<String, String> form(String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
    fields.put("x-amz-credential", "AKID/20261206/r/s3/aws4_request");
    fields.put("x-amz-date", "20261206T095900Z");
    fields.put("policy", "ignored");
    fields.put("x-amz-signature", "ignored");
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
    }
    return fields;
  }

  private static void assertRefused(Runnable check, String code, String message) {
    assertThatThrownBy(check::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(message);
    });
  }

  @Test
  void aFormMeetingEveryConditionPassesWithItsLengthRange() {
    PostPolicy policy = policy("{\"bucket\": \"photos\"}, [\"starts-with\", \"$key\", \"user/alice/\"], {" + SIGNED
        + ", [\"eq\", \"$Content-Type\", \"image/png\"], [\"content-length-range\", 1, 1048576],"
        + " [\"starts-with\", \"$x-amz-meta-album\", \"\"], {\"success_action_status\": \"201\"}");

    PostPolicy.LengthRange range = policy.check(form("key", "user/alice/cat.png", "content-type", "image/png",
        "x-amz-meta-album", "holidays", "success_action_status", "201", "x-ignore-tracking", "1"), "photos", NOW);

    assertThat(range).isEqualTo(new PostPolicy.LengthRange(1, 1048576));
  }

  @Test
  void withoutALengthConditionAnySizeIsAllowed() {
    assertThat(policy("{\"key\": \"k\"}, {" + SIGNED).check(form("key", "k"), "b", NOW))
        .isEqualTo(new PostPolicy.LengthRange(0, Long.MAX_VALUE));
  }

  @Test
  void aFailedConditionIsAccessDeniedNamingTheCondition() {
    PostPolicy policy = policy("{\"bucket\": \"photos\"}, [\"starts-with\", \"$key\", \"user/alice/\"], {" + SIGNED);
    assertRefused(() -> policy.check(form("key", "user/bob/x"), "photos", NOW), "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"starts-with\",\"$key\",\"user/alice/\"]");
    assertRefused(() -> policy.check(form("key", "user/alice/x"), "other", NOW), "AccessDenied",
        "Policy Condition failed: {\"bucket\":\"photos\"}");
    PostPolicy exact = policy("[\"eq\", \"$key\", \"a\"], {" + SIGNED);
    assertRefused(() -> exact.check(form("key", "ab"), "b", NOW), "AccessDenied", "Policy Condition failed");
  }

  @Test
  void aFieldNoConditionMentionsIsAnExtraInputField() {
    PostPolicy policy = policy("{\"key\": \"k\"}, {" + SIGNED);
    assertRefused(() -> policy.check(form("key", "k", "Content-Type".toLowerCase(), "text/plain", "acl", "private"), "b", NOW),
        "AccessDenied", "Invalid according to Policy: Extra input fields: acl, content-type");
  }

  @Test
  void anExpiredPolicyIsAccessDenied() {
    PostPolicy policy = policy("2026-12-06T10:00:00Z", "{\"key\": \"k\"}, {" + SIGNED);
    assertRefused(() -> policy.check(form("key", "k"), "b", NOW), "AccessDenied", "Invalid according to Policy: Policy expired.");
  }

  @Test
  void fieldNamesCompareWithoutCase() {
    PostPolicy policy = policy("{\"Key\": \"k\"}, [\"eq\", \"$CONTENT-TYPE\", \"text/plain\"], {" + SIGNED);
    policy.check(form("key", "k", "content-type", "text/plain"), "b", NOW);
  }

  @Test
  void anUnreadablePolicyIsInvalidPolicyDocument() {
    assertRefused(() -> PostPolicy.parse("%%%not base64"), "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");
    assertRefused(() -> PostPolicy.parse(Base64.getEncoder().encodeToString("{not json".getBytes(StandardCharsets.UTF_8))),
        "InvalidPolicyDocument", "Invalid JSON.");
    assertRefused(() -> PostPolicy.parse(Base64.getEncoder().encodeToString("{\"conditions\": []}".getBytes(StandardCharsets.UTF_8))),
        "InvalidPolicyDocument", "Policy missing expiration.");
    assertRefused(() -> PostPolicy.parse(Base64.getEncoder().encodeToString(
        "{\"expiration\": \"2030-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8))), "InvalidPolicyDocument", "Policy missing conditions.");
    assertRefused(() -> policy("tomorrow", "{\"key\": \"k\"}"), "InvalidPolicyDocument", "Invalid 'expiration' value");
    assertRefused(() -> policy("[\"matches\", \"$key\", \"k\"]"), "InvalidPolicyDocument", "Invalid Condition");
    assertRefused(() -> policy("[\"eq\", \"key\", \"k\"]"), "InvalidPolicyDocument", "Invalid Condition");
    assertRefused(() -> policy("[\"content-length-range\", 10, 1]"), "InvalidPolicyDocument", "Invalid Condition");
    assertRefused(() -> policy("[\"content-length-range\", -1, 1]"), "InvalidPolicyDocument", "content-length-range");
  }
}
