package dev.canopy.storage.s3.post;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;

/** The errors S3 answers for a form upload's policy, as AWS words them. */
public final class PostPolicyErrors {

  private PostPolicyErrors() {}

  /** The policy is not a document S3 can read (base64, JSON, shape). */
  public static AwsException invalidPolicy(String why) {
    return new AwsException(400, "InvalidPolicyDocument", "Invalid Policy: " + why);
  }

  /** The policy is readable but refuses this form. */
  public static AwsException refused(String why) {
    return S3Error.ACCESS_DENIED.exception("Invalid according to Policy: " + why);
  }
}
