package dev.canopy.storage.directory;

import dev.canopy.storage.s3.BucketIds;

import dev.canopy.storage.s3.BucketNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The directory API's paths and the names they carry (API in the package Javadoc). Access key
 * ids and bucket names are checked against what Canopy ever issues, so a name in a path never
 * needs escaping, and a name that could not exist is answered without asking a controller.
 */
public final class DirectoryPaths {

  public static final String CREDENTIALS_PREFIX = "/v1/credentials/";
  public static final String BUCKETS = "/v1/buckets";
  public static final String BUCKETS_PREFIX = BUCKETS + "/";
  public static final String CHANGES = "/v1/changes";
  public static final String OWNER_PARAMETER = "owner";
  public static final String BUCKET_USAGE_PREFIX = "/v1/bucket-usage/";

  /** AWS's shape for key ids (word characters, at most 128); Canopy issues "AKIA" + 16 of them. */
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9_]{1,128}");
  /** Twelve digits for tenants, and the internal ids ("admin", "canopy:image-reader"). */
  private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

  /** A storage node's life: its id, '-', the millisecond it started. */
  private static final Pattern INCARNATION = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private DirectoryPaths() {}

  public static boolean isIncarnation(String incarnation) {
    return incarnation != null && INCARNATION.matcher(incarnation).matches();
  }

  /** Where a node pushes one hour's bucket usage: {@code /v1/bucket-usage/{incarnation}/{hour as epoch seconds}}. */
  public static String bucketUsage(String incarnation, java.time.Instant hour) {
    if (!isIncarnation(incarnation)) {
      throw new IllegalArgumentException("not a storage node incarnation");
    }
    if (hour.getEpochSecond() % 3600 != 0 || hour.getNano() != 0) {
      throw new IllegalArgumentException("an hour starts on the hour");
    }
    return BUCKET_USAGE_PREFIX + incarnation + "/" + hour.getEpochSecond();
  }

  public static boolean isAccessKeyId(String id) {
    return id != null && ACCESS_KEY_ID.matcher(id).matches();
  }

  public static boolean isBucketName(String name) {
    return BucketNames.isValid(name);
  }

  public static boolean isAccountId(String id) {
    return id != null && ACCOUNT_ID.matcher(id).matches();
  }

  public static String credential(String accessKeyId) {
    if (!isAccessKeyId(accessKeyId)) {
      throw new IllegalArgumentException("not an access key id");
    }
    return CREDENTIALS_PREFIX + accessKeyId;
  }

  public static String bucket(String name) {
    if (!isBucketName(name)) {
      throw new IllegalArgumentException("not a bucket name");
    }
    return BUCKETS_PREFIX + name;
  }

  /** A bucket's path with {@code ?id=}: a DELETE there removes the name only while it names that bucket. */
  public static String bucket(String name, String id) {
    if (!BucketIds.isValid(id, name)) {
      throw new IllegalArgumentException("not a bucket id");
    }
    return bucket(name) + "?" + BUCKET_ID_PARAM + "=" + id; // ids and names need no escaping
  }

  /** The query parameter of a conditional bucket delete. */
  public static final String BUCKET_ID_PARAM = "id";

  public static String bucketsOwnedBy(String accountId) {
    if (!isAccountId(accountId)) {
      throw new IllegalArgumentException("not an account id");
    }
    return BUCKETS + "?" + OWNER_PARAMETER + "=" + URLEncoder.encode(accountId, StandardCharsets.UTF_8);
  }
}
