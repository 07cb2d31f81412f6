package dev.canopy.deploy.it.fuzz;

import static dev.canopy.deploy.it.fuzz.FuzzValues.pick;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * S3 REST requests on an existing bucket, object and multipart upload, and on names that cannot
 * exist: odd keys, every subresource with junk values, hostile headers, and XML bombs to the
 * operations that parse a body.
 */
final class S3Fuzz implements RequestGenerator {

  private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD", "GET", "PUT", "POST", "OPTIONS", "PATCH");

  /** Subresources and parameters S3 defines; values are drawn at random. */
  private static final List<String> PARAMS = List.of(
      "delete", "uploads", "uploadId", "partNumber", "tagging", "acl", "versioning", "location", "cors", "lifecycle",
      "policy", "list-type", "max-keys", "prefix", "delimiter", "marker", "continuation-token", "start-after",
      "encoding-type", "versionId", "max-uploads", "part-number-marker", "max-parts", "key-marker", "upload-id-marker",
      "fetch-owner", "x-id", "attributes");

  private static final List<String> HEADERS = List.of(
      "range", "content-md5", "x-amz-copy-source", "x-amz-copy-source-range", "x-amz-meta-", "x-amz-tagging",
      "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "x-amz-checksum-crc32",
      "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm", "x-amz-storage-class", "x-amz-acl", "content-type",
      "x-amz-metadata-directive", "x-amz-decoded-content-length", "content-encoding", "x-amz-server-side-encryption",
      "x-amz-trailer", "expect", "x-amz-expected-bucket-owner", "x-amz-object-attributes", "x-amz-bucket-object-lock-enabled");

  private static final List<String> RANGES = List.of(
      "bytes=-0", "bytes=0-", "bytes=5-1", "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=0-0,2-3",
      "bytes=", "items=0-1", "bytes=--1", "bytes=1-2-3", "bytes=9223372036854775807-9223372036854775807");

  private final String bucket;
  private final String key;
  private final String uploadKey;
  private final String uploadId;

  S3Fuzz(String bucket, String key, String uploadKey, String uploadId) {
    this.bucket = bucket;
    this.key = key;
    this.uploadKey = uploadKey;
    this.uploadId = uploadId;
  }

  @Override
  public FuzzRequest next(RandomGenerator r) {
    if (r.nextInt(4) == 0) {
      return xmlOperation(r);
    }
    String method = pick(r, METHODS);
    String path = path(r);
    List<String> query = new ArrayList<>();
    int params = r.nextInt(4) == 0 ? r.nextInt(3, 40) : r.nextInt(0, 3);
    for (int i = 0; i < params; i++) {
      String name = pick(r, PARAMS);
      query.add(r.nextInt(3) == 0 ? name : name + "=" + value(r, name));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int headerCount = r.nextInt(0, 4);
    for (int i = 0; i < headerCount; i++) {
      String name = pick(r, HEADERS);
      headers.put(name.endsWith("-") ? name + FuzzValues.word(r) : name, headerValue(r, name));
    }
    if (r.nextInt(30) == 0) {
      headers.put("x-amz-meta-big", "v".repeat(r.nextInt(2_000, 60_000)));
    }
    byte[] body = body(r, method);
    if (query.contains("delete") && r.nextBoolean()) {
      headers.put("content-md5", md5(body)); // so the body reaches the parser, not the digest check
    }
    String target = path + (query.isEmpty() ? "" : "?" + String.join("&", query));
    return new FuzzRequest(method, target, headers, body);
  }

  /**
   * A well-addressed request to an operation that parses XML (DeleteObjects with its Content-MD5,
   * CompleteMultipartUpload on a real upload, CreateBucket), so the hostile body reaches the parser.
   */
  private FuzzRequest xmlOperation(RandomGenerator r) {
    byte[] body = XmlBombs.any(r);
    Map<String, String> headers = new LinkedHashMap<>();
    return switch (r.nextInt(3)) {
      case 0 -> {
        headers.put("content-md5", md5(body));
        yield new FuzzRequest("POST", "/" + bucket + "?delete", headers, body);
      }
      case 1 -> new FuzzRequest("POST", "/" + bucket + "/" + uploadKey + "?uploadId=" + uploadId, headers, body);
      default -> new FuzzRequest("PUT", "/" + FuzzValues.word(r) + "-" + FuzzValues.word(r), headers, body);
    };
  }

  private String path(RandomGenerator r) {
    String b = switch (r.nextInt(8)) {
      case 0 -> FuzzValues.word(r);
      case 1 -> pick(r, List.of("A", "ab", "a".repeat(64), "192.168.0.1", "a..b", "-ab", "ab-", "xn--ab", "a_b", "%FF"));
      case 2 -> "";
      default -> bucket;
    };
    String k = switch (r.nextInt(6)) {
      case 0 -> null;
      case 1 -> key;
      case 2 -> FuzzValues.percentEncode(FuzzValues.bytes(r));
      case 3 -> "a".repeat(r.nextInt(1_000, 1_100)); // about S3's 1024-byte key limit
      case 4 -> pick(r, List.of("a/../b", "./x", "a//b", "%2e%2e/%2e%2e/etc", "%00", "k%C0%AF", "%", "%ZZ"));
      default -> FuzzValues.word(r);
    };
    return "/" + b + (k == null ? "" : "/" + k);
  }

  private String value(RandomGenerator r, String name) {
    return switch (name) {
      case "uploadId" -> r.nextBoolean() ? uploadId : FuzzValues.percentEncode(FuzzValues.bytes(r));
      case "partNumber", "max-keys", "max-uploads", "max-parts", "part-number-marker", "list-type" ->
          FuzzValues.percentEncode(FuzzValues.number(r).getBytes(StandardCharsets.UTF_8));
      default -> FuzzValues.percentEncode(FuzzValues.bytes(r));
    };
  }

  private String headerValue(RandomGenerator r, String name) {
    return switch (name) {
      case "range" -> pick(r, RANGES);
      case "x-amz-copy-source" -> pick(r, List.of("/" + bucket + "/" + key, bucket + "/" + key + "?versionId=x", "/nobucket/k", "%ZZ", "/", ""))
          + (r.nextBoolean() ? "" : FuzzValues.headerValue(r));
      case "x-amz-decoded-content-length", "x-amz-copy-source-range" -> FuzzValues.number(r);
      case "content-encoding" -> pick(r, List.of("aws-chunked", "gzip", "aws-chunked,gzip", "identity"));
      case "expect" -> "100-continue";
      default -> FuzzValues.headerValue(r);
    };
  }

  private static byte[] body(RandomGenerator r, String method) {
    boolean parsesXml = method.equals("POST") || (method.equals("PUT") && r.nextBoolean());
    if (parsesXml && r.nextInt(4) != 0) {
      return XmlBombs.any(r);
    }
    if (method.equals("PUT") || method.equals("POST")) {
      return FuzzValues.randomBytes(r, r.nextInt(10) == 0 ? r.nextInt(100_000, 2_000_000) : r.nextInt(0, 2_000));
    }
    return r.nextInt(10) == 0 ? FuzzValues.randomBytes(r, r.nextInt(1, 2_000)) : new byte[0];
  }

  private static String md5(byte[] body) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
