package dev.canopy.cloud.directory;

import dev.canopy.storage.directory.DirectoryJson;
import dev.canopy.storage.directory.DirectoryPaths;
import java.util.List;

/**
 * What a directory request asks for, parsed from its method, raw path and owner parameters
 * (API in {@code dev.canopy.storage.directory}'s package Javadoc). Names are checked here, so a
 * handler only ever sees a well-formed access key id, bucket name or account id.
 *
 * @param name the access key id, bucket name or owner account id; null for {@link Kind#CHANGES}
 */
record DirectoryRoute(Kind kind, String name) {

  enum Kind { CREDENTIAL, GET_BUCKET, PUT_BUCKET, DELETE_BUCKET, LIST_BUCKETS, CHANGES }

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
