package dev.canopy.storage.s3;

/** The S3 API operations this server distinguishes; names are S3's, used as metric tags. */
enum Operation {
  LIST_BUCKETS("ListBuckets"),
  CREATE_BUCKET("CreateBucket"),
  HEAD_BUCKET("HeadBucket"),
  DELETE_BUCKET("DeleteBucket"),
  GET_BUCKET_LOCATION("GetBucketLocation"),
  GET_BUCKET_ACL("GetBucketAcl"),
  PUT_BUCKET_ACL("PutBucketAcl"),
  GET_BUCKET_POLICY("GetBucketPolicy"),
  PUT_BUCKET_POLICY("PutBucketPolicy"),
  DELETE_BUCKET_POLICY("DeleteBucketPolicy"),
  GET_BUCKET_POLICY_STATUS("GetBucketPolicyStatus"),
  GET_BUCKET_VERSIONING("GetBucketVersioning"),
  PUT_BUCKET_VERSIONING("PutBucketVersioning"),
  LIST_OBJECT_VERSIONS("ListObjectVersions"),
  LIST_OBJECTS("ListObjects"),
  LIST_OBJECTS_V2("ListObjectsV2"),
  LIST_MULTIPART_UPLOADS("ListMultipartUploads"),
  DELETE_OBJECTS("DeleteObjects"),
  PUT_OBJECT("PutObject"),
  COPY_OBJECT("CopyObject"),
  GET_OBJECT("GetObject"),
  HEAD_OBJECT("HeadObject"),
  DELETE_OBJECT("DeleteObject"),
  GET_OBJECT_ACL("GetObjectAcl"),
  PUT_OBJECT_ACL("PutObjectAcl"),
  GET_OBJECT_TAGGING("GetObjectTagging"),
  PUT_OBJECT_TAGGING("PutObjectTagging"),
  DELETE_OBJECT_TAGGING("DeleteObjectTagging"),
  GET_BUCKET_TAGGING("GetBucketTagging"),
  PUT_BUCKET_TAGGING("PutBucketTagging"),
  DELETE_BUCKET_TAGGING("DeleteBucketTagging"),
  GET_BUCKET_LIFECYCLE("GetBucketLifecycleConfiguration"),
  PUT_BUCKET_LIFECYCLE("PutBucketLifecycleConfiguration"),
  DELETE_BUCKET_LIFECYCLE("DeleteBucketLifecycle"),
  GET_OBJECT_ATTRIBUTES("GetObjectAttributes"),
  CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
  UPLOAD_PART("UploadPart"),
  UPLOAD_PART_COPY("UploadPartCopy"),
  COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
  ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
  LIST_PARTS("ListParts"),
  PUT_BUCKET_CORS("PutBucketCors"),
  GET_BUCKET_CORS("GetBucketCors"),
  DELETE_BUCKET_CORS("DeleteBucketCors"),
  PREFLIGHT("PreflightRequest"),
  POST_OBJECT("PostObject"),
  NOT_IMPLEMENTED("NotImplemented"),
  METHOD_NOT_ALLOWED("MethodNotAllowed");

  private final String awsName;

  Operation(String awsName) {
    this.awsName = awsName;
  }

  String awsName() {
    return awsName;
  }

  /** Operations on something inside a bucket the caller must own. */
  boolean needsOwnedBucket() {
    return this != LIST_BUCKETS && this != CREATE_BUCKET && this != NOT_IMPLEMENTED && this != METHOD_NOT_ALLOWED
        && this != PREFLIGHT;
  }
}
