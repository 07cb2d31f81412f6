package dev.canopy.cloud.images;

import dev.canopy.api.error.AwsException;

/** The EC2 error codes of the image family. */
public final class ImageErrors {

  private ImageErrors() {}

  public static AwsException notFound(String id) {
    return new AwsException(400, "InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
  }

  public static AwsException malformed(String id) {
    return new AwsException(400, "InvalidAMIID.Malformed", "Invalid id: \"" + id + "\" (expecting \"ami-...\")");
  }

  public static AwsException duplicateName(String name) {
    return new AwsException(400, "InvalidAMIName.Duplicate", "AMI name " + name + " is already in use by AMI");
  }

  /** A non-owner changing (or reading the shares of) an image it can see. */
  public static AwsException notAuthorized(String id) {
    return new AwsException(400, "AuthFailure", "Not authorized for image:" + id);
  }

  /** A launch permission naming something other than an account id or the group all. */
  public static AwsException invalidAttributeItem(String value, String itemType) {
    return new AwsException(400, "InvalidAMIAttributeItemValue",
        "Invalid attribute item value \"" + value + "\" for " + itemType + " item type.");
  }
}
