package dev.canopy.cloud.compute;

import java.util.Optional;

/** Looks up an account's key pair for RunInstances (implemented by the key-pair family). */
@FunctionalInterface
public interface KeyPairCheck {

  /** The key pair's OpenSSH public key; empty when the account has no key pair by that name. */
  Optional<String> publicKey(String accountId, String keyName);
}
