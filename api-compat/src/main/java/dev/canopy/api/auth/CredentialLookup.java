package dev.canopy.api.auth;

import java.util.Optional;

/** Finds the credential behind an access key id; empty when the key is unknown or disabled. */
@FunctionalInterface
public interface CredentialLookup {
  Optional<Credential> find(String accessKeyId);
}
