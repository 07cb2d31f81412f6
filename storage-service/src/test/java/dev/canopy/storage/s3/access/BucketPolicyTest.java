package dev.canopy.storage.s3.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.s3.access.BucketPolicy.Verdict;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy evaluator, one row per case: a statement, a request, the verdict IAM gives. */
class BucketPolicyTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";

  private static String policy(String statement) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
  }

  private static AccessRequest request(String account, String action, String key, Map<String, String> context) {
    return new AccessRequest(account, action, AccessRequest.arn("pics", key), context);
  }

  private static AccessRequest request(String account, String action, String key) {
    return request(account, action, key, Map.of(AccessRequest.SOURCE_IP, "10.1.2.3", AccessRequest.SECURE_TRANSPORT, "false"));
  }

  static Stream<Arguments> cases() {
    String getPublic = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}";
    String bPrefix = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"" + B + "\"]},\"Action\":\"s3:GetObject\","
        + "\"Resource\":\"arn:aws:s3:::pics/shared/*\"}";
    String bRootArn = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + B + ":root\"},\"Action\":\"s3:*\","
        + "\"Resource\":[\"arn:aws:s3:::pics\",\"arn:aws:s3:::pics/*\"]}";
    String denyIp = "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::pics/*\","
        + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}}";
    String denyNotIp = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
        + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"192.168.0.0/16\"}}}";
    String denyInsecure = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::pics/*\","
        + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
    String listPrefix = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::pics\","
        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"public/*\",\"\"]}}}";
    String notAction = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"s3:Delete*\",\"Resource\":\"arn:aws:s3:::pics/*\"}";
    String notResource = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::pics/open/*\"}";
    String notPrincipal = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"" + A + "\"},\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::pics/*\"}";
    String wildcardAction = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:get*\",\"Resource\":\"arn:aws:s3:::pics/img-??.png\"}";
    String unknownKey = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}";
    String unknownKeyNegated = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
        + "\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}";
    Map<String, String> fromV6 = Map.of(AccessRequest.SOURCE_IP, "2001:db8::7");
    Map<String, String> fromHome = Map.of(AccessRequest.SOURCE_IP, "192.168.4.4");
    Map<String, String> tls = Map.of(AccessRequest.SECURE_TRANSPORT, "true");
    return Stream.of(
        Arguments.of("public read, anonymous", getPublic, request(null, "s3:GetObject", "a.png"), Verdict.ALLOW),
        Arguments.of("public read, other account", getPublic, request(B, "s3:GetObject", "a.png"), Verdict.ALLOW),
        Arguments.of("public read says nothing of writes", getPublic, request(null, "s3:PutObject", "a.png"), Verdict.SILENT),
        Arguments.of("public read says nothing of listing", getPublic, request(null, "s3:ListBucket", null), Verdict.SILENT),
        Arguments.of("B under the prefix", bPrefix, request(B, "s3:GetObject", "shared/x"), Verdict.ALLOW),
        Arguments.of("B outside the prefix", bPrefix, request(B, "s3:GetObject", "private/x"), Verdict.SILENT),
        Arguments.of("the prefix is no wildcard at the start", bPrefix, request(B, "s3:GetObject", "x/shared/y"), Verdict.SILENT),
        Arguments.of("A is not named", bPrefix, request(A, "s3:GetObject", "shared/x"), Verdict.SILENT),
        Arguments.of("anonymous is not an account", bPrefix, request(null, "s3:GetObject", "shared/x"), Verdict.SILENT),
        Arguments.of("root ARN names the account", bRootArn, request(B, "s3:ListBucket", null), Verdict.ALLOW),
        Arguments.of("s3:* covers every action", bRootArn, request(B, "s3:DeleteBucketPolicy", null), Verdict.ALLOW),
        Arguments.of("deny inside the block", denyIp, request(A, "s3:GetObject", "k"), Verdict.DENY),
        Arguments.of("deny inside the IPv6 block", denyIp, request(A, "s3:GetObject", "k", fromV6), Verdict.DENY),
        Arguments.of("no deny outside the block", denyIp, request(A, "s3:GetObject", "k", fromHome), Verdict.SILENT),
        Arguments.of("deny resource is objects only", denyIp, request(A, "s3:ListBucket", null), Verdict.SILENT),
        Arguments.of("NotIpAddress denies the rest", denyNotIp, request(null, "s3:GetObject", "k"), Verdict.DENY),
        Arguments.of("NotIpAddress spares its block", denyNotIp, request(null, "s3:GetObject", "k", fromHome), Verdict.SILENT),
        Arguments.of("plain HTTP denied", denyInsecure, request(A, "s3:PutObject", "k"), Verdict.DENY),
        Arguments.of("TLS spared", denyInsecure, request(A, "s3:PutObject", "k", tls), Verdict.SILENT),
        Arguments.of("listing the public prefix", listPrefix,
            request(null, "s3:ListBucket", null, Map.of("s3:prefix", "public/2024/")), Verdict.ALLOW),
        Arguments.of("listing the top", listPrefix, request(null, "s3:ListBucket", null, Map.of("s3:prefix", "")), Verdict.ALLOW),
        Arguments.of("listing another prefix", listPrefix,
            request(null, "s3:ListBucket", null, Map.of("s3:prefix", "private/")), Verdict.SILENT),
        Arguments.of("listing without a prefix key", listPrefix, request(null, "s3:ListBucket", null, Map.of()), Verdict.SILENT),
        Arguments.of("NotAction allows the others", notAction, request(null, "s3:GetObject", "k"), Verdict.ALLOW),
        Arguments.of("NotAction excludes deletes", notAction, request(null, "s3:DeleteObject", "k"), Verdict.SILENT),
        Arguments.of("NotResource denies outside", notResource, request(B, "s3:GetObject", "closed/k"), Verdict.DENY),
        Arguments.of("NotResource spares inside", notResource, request(B, "s3:GetObject", "open/k"), Verdict.SILENT),
        Arguments.of("NotPrincipal denies others", notPrincipal, request(B, "s3:GetObject", "k"), Verdict.DENY),
        Arguments.of("NotPrincipal denies anonymous", notPrincipal, request(null, "s3:GetObject", "k"), Verdict.DENY),
        Arguments.of("NotPrincipal spares the named", notPrincipal, request(A, "s3:GetObject", "k"), Verdict.SILENT),
        Arguments.of("actions match without case", wildcardAction, request(null, "s3:GetObject", "img-01.png"), Verdict.ALLOW),
        Arguments.of("? is one character", wildcardAction, request(null, "s3:GetObject", "img-1.png"), Verdict.SILENT),
        Arguments.of("resources match with case", wildcardAction, request(null, "s3:GetObject", "IMG-01.png"), Verdict.SILENT),
        Arguments.of("an absent key fails a positive operator", unknownKey, request(null, "s3:GetObject", "k"), Verdict.SILENT),
        Arguments.of("an absent key passes a negated operator", unknownKeyNegated, request(null, "s3:GetObject", "k"), Verdict.ALLOW),
        Arguments.of("deny beats allow", getPublic + "," + denyIp, request(null, "s3:GetObject", "k"), Verdict.DENY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judges(String name, String statements, AccessRequest request, Verdict expected) {
    assertThat(PolicyParser.parse(policy(statements), "pics").judge(request)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicCases")
  void tellsWhetherItIsPublic(String statement, boolean expected) {
    assertThat(PolicyParser.parse(policy(statement), "pics").isPublic()).isEqualTo(expected);
  }

  static Stream<Arguments> publicCases() {
    return Stream.of(
        Arguments.of("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}", true),
        Arguments.of("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + B + "\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}", false),
        Arguments.of("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}", false),
        Arguments.of("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
            + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}", false));
  }
}
