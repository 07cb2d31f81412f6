package dev.canopy.cloud.limits;

import dev.canopy.api.error.AwsException;

/** The EC2 error codes for limits, worded as EC2 words them. */
public final class LimitErrors {

  /** Where AWS's messages send people; kept, since scripts match on the message's shape. */
  private static final String ADJUST = " Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.";

  private LimitErrors() {}

  /** @param requested the instances the account would have: those it has plus MinCount */
  public static AwsException instanceLimitExceeded(int requested, int limit) {
    return new AwsException(400, "InstanceLimitExceeded", "You have requested more instances (" + requested
        + ") than your current instance limit of " + limit + " allows for the specified instance type." + ADJUST);
  }

  public static AwsException vcpuLimitExceeded(int limit) {
    return new AwsException(400, "VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit of "
        + limit + " allows for the instance bucket that the specified instance type belongs to." + ADJUST);
  }

  public static AwsException keyPairLimitExceeded(int limit) {
    return new AwsException(400, "KeyPairLimitExceeded", "Maximum of " + limit + " keypairs reached.");
  }

  public static AwsException securityGroupLimitExceeded(String vpcId) {
    return new AwsException(400, "SecurityGroupLimitExceeded",
        "The maximum number of security groups for VPC '" + vpcId + "' has been reached.");
  }

  /** HTTP 503, as AWS sends it: the SDKs classify it as throttling and back off before retrying. */
  public static AwsException requestLimitExceeded() {
    return new AwsException(503, "RequestLimitExceeded", "Request limit exceeded.");
  }
}
