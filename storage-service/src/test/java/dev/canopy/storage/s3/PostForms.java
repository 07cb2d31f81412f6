package dev.canopy.storage.s3;

import dev.canopy.api.auth.Credential;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser upload forms as a page would post them: fields signed the way boto3's
 * generate_presigned_post signs them (SigV4 over the base64 policy), then multipart/form-data.
 */
final class PostForms {

  static final String BOUNDARY = "----CanopyFormBoundary7MA4YWxkTrZu0gW";
  static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  private PostForms() {}

  /**
   * The signed fields of a form: the policy (expiring at {@code expiration}, with {@code conditions}
   * as JSON list items, to which the x-amz-* fields' own conditions are added) and its signature.
   */
  static Map<String, String> signed(Credential credential, Instant now, Instant expiration, String conditions) {
    String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    String scope = date.substring(0, 8) + "/" + S3TestServer.REGION + "/s3/aws4_request";
    String amzCredential = credential.accessKeyId() + "/" + scope;
    String policy = "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + conditions
        + (conditions.isEmpty() ? "" : ", ")
        + "{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}, {\"x-amz-credential\": \"" + amzCredential + "\"},"
        + " {\"x-amz-date\": \"" + date + "\"}]}";
    String policyBase64 = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
    fields.put("x-amz-credential", amzCredential);
    fields.put("x-amz-date", date);
    fields.put("policy", policyBase64);
    fields.put("x-amz-signature", signature(credential.secretAccessKey(), date.substring(0, 8), policyBase64));
    return fields;
  }

  static String signature(String secret, String day, String policyBase64) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, S3TestServer.REGION);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, policyBase64));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The head of a form body: every field, then the file part's header (its bytes follow). */
  static byte[] head(Map<String, String> fields, String filename) {
    StringBuilder body = new StringBuilder();
    fields.forEach((name, value) -> body.append("--").append(BOUNDARY).append("\r\n")
        .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
        .append(value).append("\r\n"));
    if (filename != null) {
      body.append("--").append(BOUNDARY).append("\r\n")
          .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(filename).append("\"\r\n")
          .append("Content-Type: application/octet-stream\r\n\r\n");
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A whole form body; {@code file} null for a form without file. */
  static byte[] body(Map<String, String> fields, String filename, byte[] file) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(head(fields, file == null ? null : filename));
    if (file != null) {
      body.writeBytes(file);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }
}
