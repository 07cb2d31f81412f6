package dev.canopy.cloud.bootstrap;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * What makes one cloud itself, created once at its first start: a random public name and a check
 * value sealed with the master key, so a process started with another cloud's key stops instead
 * of failing later on every secret.
 *
 * @param cloudName tells clouds apart (it is in the CA certificate's subject); not a secret, and
 *     not the grid's cluster name, which is derived from the master key ({@code grid.GridName}).
 *     Clouds created before that difference stored it as {@code clusterName}.
 * @param bootstrapped true once the admin credentials and the first tenant have been written
 */
public record CloudIdentity(@JsonAlias("clusterName") String cloudName, String keyCheck, boolean bootstrapped) {

  public CloudIdentity asBootstrapped() {
    return new CloudIdentity(cloudName, keyCheck, true);
  }
}
