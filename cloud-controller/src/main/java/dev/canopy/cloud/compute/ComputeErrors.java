package dev.canopy.cloud.compute;

import dev.canopy.api.error.AwsException;
import java.util.List;

/** The EC2 error codes of the instance family, worded as EC2 words them. */
public final class ComputeErrors {

  private ComputeErrors() {}

  public static AwsException instanceNotFound(List<String> ids) {
    String quoted = ids.size() == 1 ? "'" + ids.get(0) + "' does" : "'" + String.join(", ", ids) + "' do";
    return new AwsException(400, "InvalidInstanceID.NotFound", "The instance ID" + (ids.size() == 1 ? " " : "s ") + quoted + " not exist");
  }

  public static AwsException instanceMalformed(String id) {
    return new AwsException(400, "InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\"");
  }

  public static AwsException incorrectState(String id, InstanceState state, String verb) {
    return new AwsException(400, "IncorrectInstanceState",
        "The instance '" + id + "' is not in a state from which it can be " + verb + ".");
  }

  /** EC2 lists it among server errors (5xx): the SDKs retry it, as they do against AWS. */
  public static AwsException insufficientCapacity(String type) {
    return new AwsException(500, "InsufficientInstanceCapacity",
        "We currently do not have sufficient " + type + " capacity to launch the requested number of instances.");
  }

  public static AwsException idempotentMismatch(String token) {
    return new AwsException(400, "IdempotentParameterMismatch",
        "The client token '" + token + "' was used with different parameters in an earlier request.");
  }

  public static AwsException keyPairNotFound(String name) {
    return new AwsException(400, "InvalidKeyPair.NotFound", "The key pair '" + name + "' does not exist");
  }

  /** Leader-only work on a controller that does not lead: 503 Unavailable, forwarded if possible. */
  public static NotLeaderException notLeader() {
    return new NotLeaderException();
  }

  /** TerminateInstances on an instance whose disableApiTermination is true. */
  public static AwsException terminationProtected(String id) {
    return new AwsException(400, "OperationNotPermitted",
        "The instance '" + id + "' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.");
  }

  /** StopInstances on an instance whose disableApiStop is true. */
  public static AwsException stopProtected(String id) {
    return new AwsException(400, "OperationNotPermitted",
        "The instance '" + id + "' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.");
  }

  /** ModifyInstanceAttribute of an attribute that may change only while the instance is stopped. */
  public static AwsException notStopped(String id) {
    return new AwsException(400, "IncorrectInstanceState", "The instance '" + id + "' is not in the 'stopped' state.");
  }
}
