package dev.canopy.storage.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.api.auth.Credential;
import dev.canopy.storage.s3.BucketIds;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.usage.BucketUsage;
import dev.canopy.storage.usage.BucketUsageMeter;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directory API's bodies, written and read field by field: a body with a missing, extra-typed
 * or out-of-shape field is refused ({@link IllegalArgumentException}) rather than half-read, and a
 * message never quotes the body, which may hold a secret.
 */
public final class DirectoryJson {

  public static final String CONTENT_TYPE = "application/json";
  /** One credential, bucket record, change counter or error: a few hundred bytes. */
  public static final int RECORD_BYTES_MAX = 16 * 1024;
  /** An account's bucket listing: {@link #BUCKETS_LISTED_MAX} records of about 150 bytes. */
  public static final int LISTING_BYTES_MAX = 4 * 1024 * 1024;
  /** AWS's default bucket quota per account; a listing holds at most this many, by name. */
  public static final int BUCKETS_LISTED_MAX = 10_000;
  private static final int REGION_CHARS_MAX = 64;

  /**
   * A push of one hour's bucket usage: at most {@link BucketUsageMeter#BUCKETS_PER_HOUR_MAX}
   * entries of under 160 bytes (a 63-character name, a 12-digit account, three counters).
   */
  public static final int USAGE_BYTES_MAX = 4 * 1024 * 1024;

  /** Error codes in {@code {"code":…,"message":…}} bodies. */
  public static final String NO_SUCH_ACCESS_KEY = "NoSuchAccessKey";
  public static final String NO_SUCH_BUCKET = "NoSuchBucket";
  public static final String BUCKET_ALREADY_EXISTS = "BucketAlreadyExists";
  public static final String NOT_FOUND = "NotFound";
  public static final String BAD_REQUEST = "BadRequest";
  public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
  public static final String TOO_LARGE = "TooLarge";
  public static final String UNAVAILABLE = "Unavailable";
  public static final String INTERNAL_ERROR = "InternalError";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DirectoryJson() {}

  /**
   * Where the change counters come from and how far they are: a client drops its cached
   * credentials when {@code credentials} moves, its cached buckets when {@code buckets} moves, and
   * both when {@code source} (one controller's counting, since its start) is another.
   */
  public record Changes(String source, long credentials, long buckets) {}

  public static byte[] credential(Credential credential) {
    ObjectNode node = JSON.createObjectNode()
        .put("accessKeyId", credential.accessKeyId())
        .put("secretAccessKey", credential.secretAccessKey())
        .put("accountId", credential.accountId());
    return bytes(node);
  }

  public static Credential credential(byte[] json) {
    JsonNode node = object(json, "a credential");
    String id = text(node, "accessKeyId");
    if (!DirectoryPaths.isAccessKeyId(id)) {
      throw new IllegalArgumentException("a credential's accessKeyId is not an access key id");
    }
    String account = text(node, "accountId");
    if (!DirectoryPaths.isAccountId(account)) {
      throw new IllegalArgumentException("a credential's accountId is not an account id");
    }
    return new Credential(id, text(node, "secretAccessKey"), account);
  }

  public static byte[] bucket(BucketRecord bucket) {
    return bytes(bucketNode(bucket));
  }

  public static BucketRecord bucket(byte[] json) {
    return bucket(object(json, "a bucket record"));
  }

  public static byte[] buckets(List<BucketRecord> buckets) {
    ArrayNode list = JSON.createArrayNode();
    buckets.forEach(b -> list.add(bucketNode(b)));
    ObjectNode node = JSON.createObjectNode();
    node.set("buckets", list);
    return bytes(node);
  }

  public static List<BucketRecord> buckets(byte[] json) {
    JsonNode list = object(json, "a bucket listing").path("buckets");
    if (!list.isArray() || list.size() > BUCKETS_LISTED_MAX) {
      throw new IllegalArgumentException("a bucket listing must hold an array of at most " + BUCKETS_LISTED_MAX + " buckets");
    }
    List<BucketRecord> out = new ArrayList<>(list.size());
    list.forEach(b -> out.add(bucket(b)));
    return out;
  }

  /**
   * One hour's usage of buckets on one node's life: {@code {"usage":[{bucket, account, tier1,
   * tier2, bytesOut}]}}. A list rather than a map by name: within one hour a name can be deleted
   * and taken by another account, and each owner pays for its own requests.
   */
  public static byte[] bucketUsage(List<BucketUsage> usage) {
    ArrayNode list = JSON.createArrayNode();
    usage.forEach(u -> list.add(JSON.createObjectNode()
        .put("bucket", u.bucket())
        .put("account", u.account())
        .put("tier1", u.tier1())
        .put("tier2", u.tier2())
        .put("bytesOut", u.bytesOut())));
    ObjectNode node = JSON.createObjectNode();
    node.set("usage", list);
    return bytes(node);
  }

  /** @throws IllegalArgumentException for a body of another shape, a name no bucket has, or a negative count */
  public static List<BucketUsage> bucketUsage(byte[] json) {
    JsonNode list = object(json, "a bucket usage push").path("usage");
    if (!list.isArray() || list.size() > BucketUsageMeter.BUCKETS_PER_HOUR_MAX) {
      throw new IllegalArgumentException("a bucket usage push must hold an array 'usage' of at most "
          + BucketUsageMeter.BUCKETS_PER_HOUR_MAX + " entries");
    }
    List<BucketUsage> out = new ArrayList<>(list.size());
    for (JsonNode entry : list) {
      if (!entry.isObject()) {
        throw new IllegalArgumentException("a bucket usage entry must be a JSON object");
      }
      String bucket = text(entry, "bucket");
      if (!DirectoryPaths.isBucketName(bucket)) {
        throw new IllegalArgumentException("a bucket usage entry's bucket is not a bucket name");
      }
      String account = text(entry, "account");
      if (!DirectoryPaths.isAccountId(account)) {
        throw new IllegalArgumentException("a bucket usage entry's account is not an account id");
      }
      out.add(new BucketUsage(account, bucket, counter(entry, "tier1"), counter(entry, "tier2"), counter(entry, "bytesOut")));
    }
    return out;
  }

  public static byte[] changes(Changes changes) {
    return bytes(JSON.createObjectNode()
        .put("source", changes.source())
        .put("credentials", changes.credentials())
        .put("buckets", changes.buckets()));
  }

  public static Changes changes(byte[] json) {
    JsonNode node = object(json, "a change counter");
    return new Changes(text(node, "source"), counter(node, "credentials"), counter(node, "buckets"));
  }

  public static byte[] error(String code, String message) {
    return bytes(JSON.createObjectNode().put("code", code).put("message", message));
  }

  /** The code of an error body; empty when the body is not one. */
  public static Optional<String> errorCode(byte[] json) {
    try {
      JsonNode code = JSON.readTree(json).path("code");
      return code.isTextual() ? Optional.of(code.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static ObjectNode bucketNode(BucketRecord bucket) {
    return JSON.createObjectNode()
        .put("name", bucket.name())
        .put("ownerAccountId", bucket.ownerAccountId())
        .put("createdAt", bucket.createdAt().toString())
        .put("region", bucket.region())
        .put("id", bucket.id());
  }

  private static BucketRecord bucket(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a bucket record must be a JSON object");
    }
    String name = text(node, "name");
    if (!DirectoryPaths.isBucketName(name)) {
      throw new IllegalArgumentException("a bucket record's name is not a bucket name");
    }
    String owner = text(node, "ownerAccountId");
    if (!DirectoryPaths.isAccountId(owner)) {
      throw new IllegalArgumentException("a bucket record's ownerAccountId is not an account id");
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(text(node, "createdAt"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("a bucket record's createdAt is not an ISO-8601 instant");
    }
    String region = text(node, "region");
    if (region.length() > REGION_CHARS_MAX || !region.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw new IllegalArgumentException("a bucket record's region must be 1 to " + REGION_CHARS_MAX + " printable ASCII characters");
    }
    // A record from a controller that predates bucket ids has none: its objects live under its name.
    JsonNode idNode = node.get("id");
    String id = idNode == null || idNode.isNull() ? name : text(node, "id");
    if (!BucketIds.isValid(id, name)) {
      throw new IllegalArgumentException("a bucket record's id is neither a bucket id nor its name");
    }
    return new BucketRecord(name, owner, createdAt, region, id);
  }

  private static JsonNode object(byte[] json, String what) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " must be JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException("the field '" + field + "' must be a non-empty string");
    }
    return value.asText();
  }

  private static long counter(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new IllegalArgumentException("the field '" + field + "' must be a counter");
    }
    return value.asLong();
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }
}
