package dev.canopy.storage.s3;

/**
 * How an S3 request is billed to its bucket's owner, as AWS prices requests: tier 1 for what
 * writes or lists (PUT, COPY, POST, LIST), tier 2 for what reads (GET, HEAD), free for DELETE
 * and AbortMultipartUpload, and not metered for what names no bucket. A pure rule, unit-tested
 * over every {@link Operation}: the switch has no default, so a new operation does not compile
 * until it is classified.
 */
enum RequestClass {
  TIER1,
  TIER2,
  FREE,
  /** Names no existing bucket (ListBuckets, CreateBucket, a CORS preflight, what is not routed). */
  NOT_METERED;

  static RequestClass of(Operation operation) {
    return switch (operation) {
      case PUT_OBJECT, COPY_OBJECT, POST_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY,
          COMPLETE_MULTIPART_UPLOAD, LIST_OBJECTS, LIST_OBJECTS_V2, LIST_OBJECT_VERSIONS, LIST_MULTIPART_UPLOADS, LIST_PARTS,
          PUT_BUCKET_ACL, PUT_BUCKET_POLICY, PUT_BUCKET_VERSIONING, PUT_OBJECT_ACL, PUT_OBJECT_TAGGING, PUT_BUCKET_TAGGING,
          PUT_BUCKET_LIFECYCLE, PUT_BUCKET_CORS -> TIER1;
      case GET_OBJECT, HEAD_OBJECT, HEAD_BUCKET, GET_BUCKET_LOCATION, GET_BUCKET_ACL, GET_BUCKET_POLICY,
          GET_BUCKET_POLICY_STATUS, GET_BUCKET_VERSIONING, GET_OBJECT_ACL, GET_OBJECT_TAGGING, GET_BUCKET_TAGGING,
          GET_BUCKET_LIFECYCLE, GET_OBJECT_ATTRIBUTES, GET_BUCKET_CORS -> TIER2;
      // DeleteObjects is a POST, but a delete: AWS does not charge deletes.
      case DELETE_OBJECT, DELETE_OBJECTS, DELETE_BUCKET, DELETE_BUCKET_POLICY, DELETE_OBJECT_TAGGING, DELETE_BUCKET_TAGGING,
          DELETE_BUCKET_LIFECYCLE, DELETE_BUCKET_CORS, ABORT_MULTIPART_UPLOAD -> FREE;
      // CreateBucket names a bucket that does not exist yet; the others name none.
      case LIST_BUCKETS, CREATE_BUCKET, PREFLIGHT, NOT_IMPLEMENTED, METHOD_NOT_ALLOWED -> NOT_METERED;
    };
  }

  /** Whether the response body's bytes are billed as data transfer out: object reads only. */
  static boolean billsBytesOut(Operation operation) {
    return operation == Operation.GET_OBJECT;
  }
}
