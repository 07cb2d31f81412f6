package dev.canopy.storage.s3;

/** The S3 API operations this server distinguishes; names are S3's, used as metric tags. */
enum Operation {
  LIST_BUCKETS("ListBuckets"),
  CREATE_BUCKET("CreateBucket"),
  HEAD_BUCKET("HeadBucket"),
  DELETE_BUCKET("DeleteBucket"),
  GET_BUCKET_LOCATION("GetBucketLocation"),
  GET_BUCKET_ACL("GetBucketAcl"),
  GET_BUCKET_VERSIONING("GetBucketVersioning"),
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
  GET_OBJECT_TAGGING("GetObjectTagging"),
  GET_OBJECT_ATTRIBUTES("GetObjectAttributes"),
  CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
  UPLOAD_PART("UploadPart"),
  UPLOAD_PART_COPY("UploadPartCopy"),
  COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
  ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
  LIST_PARTS("ListParts"),
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
    return this != LIST_BUCKETS && this != CREATE_BUCKET && this != NOT_IMPLEMENTED && this != METHOD_NOT_ALLOWED;
  }
}
