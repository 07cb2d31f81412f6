package dev.canopy.cloud.keypairs;

import dev.canopy.api.error.AwsException;

/** The key-pair error codes EC2 clients branch on, worded as EC2 words them. */
public final class KeyPairErrors {

  private KeyPairErrors() {}

  public static AwsException notFound(String nameOrId) {
    return new AwsException(400, "InvalidKeyPair.NotFound", "The key pair '" + nameOrId + "' does not exist");
  }

  static AwsException duplicate(String name) {
    return new AwsException(400, "InvalidKeyPair.Duplicate", "The keypair '" + name + "' already exists.");
  }

  static AwsException format(String why) {
    return new AwsException(400, "InvalidKeyPair.Format", "Key is not in valid OpenSSH public key format: " + why);
  }
}
