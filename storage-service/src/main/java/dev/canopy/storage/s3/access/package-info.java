/**
 * Who may do what to a bucket and its objects: the pure rules of S3 access control, with no HTTP
 * in them. An {@link dev.canopy.storage.s3.access.AccessRequest} (requester, IAM action, resource
 * ARN, source address, transport) is judged by {@link dev.canopy.storage.s3.access.AccessDecision}
 * against the bucket's owner, its {@link dev.canopy.storage.s3.access.BucketPolicy} and the access
 * control lists ({@link dev.canopy.storage.s3.access.AccessControlList}) of the bucket and object.
 * The S3 layer gathers those facts and turns a refusal into AccessDenied.
 */
package dev.canopy.storage.s3.access;
