package dev.canopy.cloud.ec2;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import java.nio.charset.StandardCharsets;

/**
 * A rendered EC2 answer: status, XML body, the action and code it is counted under, and for an
 * error its message (which the console's JSON error repeats).
 */
record Ec2Reply(int status, byte[] body, String action, String code, String message, boolean notLeader) {

  Ec2Reply(int status, byte[] body, String action, String code) {
    this(status, body, action, code, null, false);
  }

  static Ec2Reply error(AwsException e, String requestId) {
    return new Ec2Reply(e.httpStatus(), Ec2Errors.toXml(e, requestId).getBytes(StandardCharsets.UTF_8), "unknown", e.code(),
        e.getMessage(), e instanceof dev.canopy.cloud.compute.NotLeaderException);
  }

  Ec2Reply withAction(String name) {
    return new Ec2Reply(status, body, name, code, message, notLeader);
  }

  boolean failed() {
    return message != null;
  }
}
