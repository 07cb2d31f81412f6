package dev.canopy.storage.s3;

import java.util.Map;
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
      case "PUT" -> subs.isEmpty() ? Operation.CREATE_BUCKET : only(subs, Map.of(
          "acl", Operation.PUT_BUCKET_ACL, "policy", Operation.PUT_BUCKET_POLICY, "cors", Operation.PUT_BUCKET_CORS,
          "tagging", Operation.PUT_BUCKET_TAGGING, "lifecycle", Operation.PUT_BUCKET_LIFECYCLE,
          "versioning", Operation.PUT_BUCKET_VERSIONING));
      case "HEAD" -> Operation.HEAD_BUCKET;
      case "DELETE" -> subs.isEmpty() ? Operation.DELETE_BUCKET : only(subs, Map.of(
          "policy", Operation.DELETE_BUCKET_POLICY, "cors", Operation.DELETE_BUCKET_CORS,
          "tagging", Operation.DELETE_BUCKET_TAGGING, "lifecycle", Operation.DELETE_BUCKET_LIFECYCLE));
      case "POST" -> subs.isEmpty() ? Operation.POST_OBJECT
          : subs.equals(Set.of("delete")) ? Operation.DELETE_OBJECTS : Operation.NOT_IMPLEMENTED;
      case "OPTIONS" -> Operation.PREFLIGHT;
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
          case "versions" -> Operation.LIST_OBJECT_VERSIONS;
          case "uploads" -> Operation.LIST_MULTIPART_UPLOADS;
          case "policy" -> Operation.GET_BUCKET_POLICY;
          case "policyStatus" -> Operation.GET_BUCKET_POLICY_STATUS;
          case "cors" -> Operation.GET_BUCKET_CORS;
          case "tagging" -> Operation.GET_BUCKET_TAGGING;
          case "lifecycle" -> Operation.GET_BUCKET_LIFECYCLE;
          default -> Operation.NOT_IMPLEMENTED;
        };
      }
      default -> Operation.METHOD_NOT_ALLOWED;
    };
  }

  /** The operation of the one sub-resource present, NotImplemented for several or another. */
  private static Operation only(Set<String> subs, Map<String, Operation> bySubresource) {
    return subs.size() == 1 ? bySubresource.getOrDefault(subs.iterator().next(), Operation.NOT_IMPLEMENTED)
        : Operation.NOT_IMPLEMENTED;
  }

  private static Operation object(String method, Set<String> subs, boolean copySource) {
    // A version id selects the version a GET, HEAD, DELETE or object tagging call acts on
    // (VersionedObjects); with any other sub-resource it stays in subs: NotImplemented.
    Set<String> plain = new java.util.HashSet<>(subs);
    plain.remove("versionId");
    return switch (method) {
      case "PUT" -> {
        if (subs.equals(Set.of("partNumber", "uploadId"))) {
          yield copySource ? Operation.UPLOAD_PART_COPY : Operation.UPLOAD_PART;
        }
        if (plain.equals(Set.of("tagging"))) {
          yield Operation.PUT_OBJECT_TAGGING;
        }
        if (!subs.isEmpty()) {
          yield subs.equals(Set.of("acl")) && !copySource ? Operation.PUT_OBJECT_ACL : Operation.NOT_IMPLEMENTED;
        }
        yield copySource ? Operation.COPY_OBJECT : Operation.PUT_OBJECT;
      }
      case "GET" -> {
        // partNumber alone reads one part of the object (PartNumberRead).
        if (plain.isEmpty() || plain.equals(Set.of("partNumber"))) {
          yield Operation.GET_OBJECT;
        }
        if (subs.equals(Set.of("uploadId"))) {
          yield Operation.LIST_PARTS;
        }
        if (plain.equals(Set.of("tagging"))) {
          yield Operation.GET_OBJECT_TAGGING;
        }
        if (subs.equals(Set.of("attributes"))) {
          yield Operation.GET_OBJECT_ATTRIBUTES;
        }
        yield subs.equals(Set.of("acl")) ? Operation.GET_OBJECT_ACL : Operation.NOT_IMPLEMENTED;
      }
      case "HEAD" -> plain.isEmpty() || plain.equals(Set.of("partNumber")) ? Operation.HEAD_OBJECT : Operation.NOT_IMPLEMENTED;
      case "DELETE" -> {
        if (plain.isEmpty()) {
          yield Operation.DELETE_OBJECT;
        }
        if (plain.equals(Set.of("tagging"))) {
          yield Operation.DELETE_OBJECT_TAGGING;
        }
        yield subs.equals(Set.of("uploadId")) ? Operation.ABORT_MULTIPART_UPLOAD : Operation.NOT_IMPLEMENTED;
      }
      case "POST" -> {
        if (subs.equals(Set.of("uploads"))) {
          yield Operation.CREATE_MULTIPART_UPLOAD;
        }
        yield subs.equals(Set.of("uploadId")) ? Operation.COMPLETE_MULTIPART_UPLOAD : Operation.NOT_IMPLEMENTED;
      }
      case "OPTIONS" -> Operation.PREFLIGHT;
      default -> Operation.METHOD_NOT_ALLOWED;
    };
  }
}
