package dev.canopy.cloud.directory;

import dev.canopy.storage.directory.DirectoryJson;
import dev.canopy.storage.directory.DirectoryPaths;
import java.util.List;

/**
 * What a directory request asks for, parsed from its method, raw path and owner parameters
 * (API in {@code dev.canopy.storage.directory}'s package Javadoc). Names are checked here, so a
 * handler only ever sees a well-formed access key id, bucket name or account id.
 *
 * @param name the access key id, bucket name or owner account id; for {@link Kind#BUCKET_USAGE} the
 *     node's incarnation; null for {@link Kind#CHANGES}
 * @param hour the hour of a {@link Kind#BUCKET_USAGE} push, else null
 */
record DirectoryRoute(Kind kind, String name, java.time.Instant hour) {

  enum Kind { CREDENTIAL, GET_BUCKET, PUT_BUCKET, DELETE_BUCKET, LIST_BUCKETS, CHANGES, BUCKET_USAGE }

  DirectoryRoute(Kind kind, String name) {
    this(kind, name, null);
  }

  /**
   * @param owners every value of the {@code owner} query parameter, decoded
   * @throws Refused with the status and code to answer
   */
  static DirectoryRoute parse(String method, String rawPath, List<String> owners) throws Refused {
    if (rawPath.equals(DirectoryPaths.CHANGES)) {
      only("GET", method);
      return new DirectoryRoute(Kind.CHANGES, null);
    }
    if (rawPath.equals(DirectoryPaths.BUCKETS)) {
      only("GET", method);
      if (owners.size() != 1 || !DirectoryPaths.isAccountId(owners.get(0))) {
        throw new Refused(400, DirectoryJson.BAD_REQUEST, "a bucket listing needs exactly one owner, an account id");
      }
      return new DirectoryRoute(Kind.LIST_BUCKETS, owners.get(0));
    }
    if (rawPath.startsWith(DirectoryPaths.BUCKETS_PREFIX)) {
      String name = rawPath.substring(DirectoryPaths.BUCKETS_PREFIX.length());
      if (!DirectoryPaths.isBucketName(name)) {
        throw new Refused(400, DirectoryJson.BAD_REQUEST, "not a bucket name");
      }
      return switch (method) {
        case "GET" -> new DirectoryRoute(Kind.GET_BUCKET, name);
        case "PUT" -> new DirectoryRoute(Kind.PUT_BUCKET, name);
        case "DELETE" -> new DirectoryRoute(Kind.DELETE_BUCKET, name);
        default -> throw new Refused(405, DirectoryJson.METHOD_NOT_ALLOWED, "a bucket takes GET, PUT or DELETE");
      };
    }
    if (rawPath.startsWith(DirectoryPaths.BUCKET_USAGE_PREFIX)) {
      String[] segments = rawPath.substring(DirectoryPaths.BUCKET_USAGE_PREFIX.length()).split("/", -1);
      if (segments.length != 2 || !DirectoryPaths.isIncarnation(segments[0])) {
        throw new Refused(400, DirectoryJson.BAD_REQUEST, "a usage push goes to /v1/bucket-usage/{incarnation}/{hour}");
      }
      only("PUT", method);
      return new DirectoryRoute(Kind.BUCKET_USAGE, segments[0], hour(segments[1]));
    }
    if (rawPath.startsWith(DirectoryPaths.CREDENTIALS_PREFIX)) {
      String id = rawPath.substring(DirectoryPaths.CREDENTIALS_PREFIX.length());
      if (!DirectoryPaths.isAccessKeyId(id)) {
        throw new Refused(400, DirectoryJson.BAD_REQUEST, "not an access key id");
      }
      only("GET", method);
      return new DirectoryRoute(Kind.CREDENTIAL, id);
    }
    throw new Refused(404, DirectoryJson.NOT_FOUND, "no such directory endpoint");
  }

  /** An hour as the epoch second it starts at. */
  private static java.time.Instant hour(String text) throws Refused {
    long seconds;
    try {
      seconds = Long.parseLong(text);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    // Up to the year 9999: anything later is not an hour a node counted.
    if (seconds < 0 || seconds % 3600 != 0 || seconds > 253_402_300_799L || !text.equals(Long.toString(seconds))) {
      throw new Refused(400, DirectoryJson.BAD_REQUEST, "the hour must be the epoch second an hour starts at");
    }
    return java.time.Instant.ofEpochSecond(seconds);
  }

  private static void only(String allowed, String method) throws Refused {
    if (!allowed.equals(method)) {
      throw new Refused(405, DirectoryJson.METHOD_NOT_ALLOWED, "this endpoint takes " + allowed + " only");
    }
  }

  /** A request answered before any grid call; the message is safe to send. */
  static final class Refused extends Exception {
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
