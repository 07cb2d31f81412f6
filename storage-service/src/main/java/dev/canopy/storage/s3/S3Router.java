package dev.canopy.storage.s3;

import java.util.Set;

/**
 * Chooses the operation from method, target and sub-resource, the way S3 does. Query parameters
 * that are not sub-resources (list options, {@code x-id}, presigning fields) do not select
 * anything. A sub-resource this server does not implement gets NotImplemented, never a
 * fall-through to the plain object or bucket operation (a PUT {@code ?policy} must not
 * overwrite a key).
 */
final class S3Router {

  /** S3 sub-resources and API selectors that appear as query parameters. */
  static final Set<String> SUBRESOURCES = Set.of(
      "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption",
      "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
      "metadataConfiguration", "metrics", "notification", "object-lock", "ownershipControls",
      "partNumber", "policy", "policyStatus", "publicAccessBlock", "replication",
      "requestPayment", "restore", "retention", "select", "session", "tagging", "torrent",
      "uploadId", "uploads", "versionId", "versioning", "versions", "website");

  private S3Router() {}

  static Operation route(String method, RequestTarget target, QueryParams query, boolean copySource) {
    if (target.bucket() == null) {
      return method.equals("GET") ? Operation.LIST_BUCKETS : Operation.METHOD_NOT_ALLOWED;
    }
    Set<String> subs = new java.util.HashSet<>(query.asMap().keySet());
    subs.retainAll(SUBRESOURCES);
    // versionId=null names the only version of an unversioned object: same as no version.
    if ("null".equals(query.get("versionId").orElse(null))) {
      subs.remove("versionId");
    }
    return target.key() == null ? bucket(method, subs, query) : object(method, subs, copySource);
  }

  private static Operation bucket(String method, Set<String> subs, QueryParams query) {
    return switch (method) {
      case "PUT" -> subs.isEmpty() ? Operation.CREATE_BUCKET : Operation.NOT_IMPLEMENTED;
      case "HEAD" -> Operation.HEAD_BUCKET;
      case "DELETE" -> subs.isEmpty() ? Operation.DELETE_BUCKET : Operation.NOT_IMPLEMENTED;
      case "POST" -> subs.equals(Set.of("delete")) ? Operation.DELETE_OBJECTS : Operation.NOT_IMPLEMENTED;
      case "GET" -> {
        if (subs.isEmpty()) {
          yield "2".equals(query.get("list-type").orElse(null)) ? Operation.LIST_OBJECTS_V2 : Operation.LIST_OBJECTS;
        }
        if (subs.size() > 1) {
          yield Operation.NOT_IMPLEMENTED;
        }
        yield switch (subs.iterator().next()) {
          case "location" -> Operation.GET_BUCKET_LOCATION;
          case "acl" -> Operation.GET_BUCKET_ACL;
          case "versioning" -> Operation.GET_BUCKET_VERSIONING;
          case "uploads" -> Operation.LIST_MULTIPART_UPLOADS;
          default -> Operation.NOT_IMPLEMENTED;
        };
      }
      default -> Operation.METHOD_NOT_ALLOWED;
    };
  }

  private static Operation object(String method, Set<String> subs, boolean copySource) {
    return switch (method) {
      case "PUT" -> {
        if (subs.equals(Set.of("partNumber", "uploadId"))) {
          yield copySource ? Operation.UPLOAD_PART_COPY : Operation.UPLOAD_PART;
        }
        if (!subs.isEmpty()) {
          yield Operation.NOT_IMPLEMENTED;
        }
        yield copySource ? Operation.COPY_OBJECT : Operation.PUT_OBJECT;
      }
      case "GET" -> {
        // partNumber alone reads one part of the object (PartNumberRead).
        if (subs.isEmpty() || subs.equals(Set.of("partNumber"))) {
          yield Operation.GET_OBJECT;
        }
        if (subs.equals(Set.of("uploadId"))) {
          yield Operation.LIST_PARTS;
        }
        if (subs.equals(Set.of("tagging"))) {
          yield Operation.GET_OBJECT_TAGGING;
        }
        if (subs.equals(Set.of("attributes"))) {
          yield Operation.GET_OBJECT_ATTRIBUTES;
        }
        yield subs.equals(Set.of("acl")) ? Operation.GET_OBJECT_ACL : Operation.NOT_IMPLEMENTED;
      }
      case "HEAD" -> subs.isEmpty() || subs.equals(Set.of("partNumber")) ? Operation.HEAD_OBJECT : Operation.NOT_IMPLEMENTED;
      case "DELETE" -> {
        if (subs.isEmpty()) {
          yield Operation.DELETE_OBJECT;
        }
        yield subs.equals(Set.of("uploadId")) ? Operation.ABORT_MULTIPART_UPLOAD : Operation.NOT_IMPLEMENTED;
      }
      case "POST" -> {
        if (subs.equals(Set.of("uploads"))) {
          yield Operation.CREATE_MULTIPART_UPLOAD;
        }
        yield subs.equals(Set.of("uploadId")) ? Operation.COMPLETE_MULTIPART_UPLOAD : Operation.NOT_IMPLEMENTED;
      }
      default -> Operation.METHOD_NOT_ALLOWED;
    };
  }
}
