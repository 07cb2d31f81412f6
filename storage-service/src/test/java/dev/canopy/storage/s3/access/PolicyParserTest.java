package dev.canopy.storage.s3.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a stored policy must look like: S3's MalformedPolicy for everything else. */
class PolicyParserTest {

  private static final String OK_STATEMENT =
      "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}";

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "[]",
      "{\"Version\":\"2012-10-17\"}",
      "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
      "{\"Version\":\"2099-01-01\",\"Statement\":[" + OK_STATEMENT + "]}",
      "{\"Statement\":[" + OK_STATEMENT + "],\"Extra\":1}",
      "{\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"someone\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"12345\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Robots\":\"*\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ec2:RunInstances\",\"Resource\":\"arn:aws:s3:::pics/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::picsx/*\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
          + "\"NotResource\":\"arn:aws:s3:::pics/x\"}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
          + "\"Condition\":{\"StringSortOf\":{\"s3:prefix\":\"a\"}}}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
          + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"not-an-address\"}}}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pics/*\","
          + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}}]}",
      "{\"Statement\":[" + OK_STATEMENT + "],\"Statement\":[" + OK_STATEMENT + "]}",
  })
  void refusesWhatS3Refuses(String policy) {
    assertThatThrownBy(() -> PolicyParser.parse(policy, "pics"))
        .isInstanceOfSatisfying(AwsException.class, e -> {
          assertThat(e.code()).isEqualTo("MalformedPolicy");
          assertThat(e.httpStatus()).isEqualTo(400);
        });
  }

  @Test
  void operatorsCanopyDoesNotEvaluateAreNotImplemented() {
    String policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
        + "\"Resource\":\"arn:aws:s3:::pics/*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}}]}";
    assertThatThrownBy(() -> PolicyParser.parse(policy, "pics"))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.httpStatus()).isEqualTo(501));
  }

  @Test
  void acceptsTheUsualShapesAndStoresThemCompact() {
    String policy = "{ \"Version\": \"2012-10-17\", \"Id\": \"p1\",\n  \"Statement\": {\"Sid\": \"s\", \"Effect\": \"Deny\","
        + " \"Principal\": {\"AWS\": [\"*\"], \"CanonicalUser\": \"222222222222\"}, \"Action\": [\"s3:*\"],"
        + " \"Resource\": [\"arn:aws:s3:::pics\", \"arn:aws:s3:::pics*\"],"
        + " \"Condition\": {\"StringLikeIfExists\": {\"s3:prefix\": [\"a*\"]}, \"Bool\": {\"aws:SecureTransport\": false}}}}";
    assertThat(PolicyParser.parse(policy, "pics").statements()).hasSize(1);
    assertThat(PolicyParser.canonical(policy, "pics")).doesNotContain("\n").startsWith("{\"Version\":\"2012-10-17\"");
  }
}
