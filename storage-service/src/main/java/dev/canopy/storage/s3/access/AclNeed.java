package dev.canopy.storage.s3.access;

/**
 * The ACL grant that lets someone other than the owner do an operation, and whose ACL holds it:
 * listing needs READ on the bucket, writing and deleting objects WRITE on the bucket, reading an
 * object READ on the object, reading or changing an ACL READ_ACP or WRITE_ACP on its holder.
 */
public record AclNeed(Permission permission, boolean onObject) {

  public static AclNeed onBucket(Permission permission) {
    return new AclNeed(permission, false);
  }

  public static AclNeed onObject(Permission permission) {
    return new AclNeed(permission, true);
  }
}
