package dev.canopy.cloud.keypairs;

import java.util.Optional;

/** The lookup RunInstances and the node agent use: a key pair by its name, in one account. */
public interface KeyPairs {

  /** Empty when the account has no key pair of that name (another account's are invisible). */
  Optional<KeyPair> find(String accountId, String keyName);
}
