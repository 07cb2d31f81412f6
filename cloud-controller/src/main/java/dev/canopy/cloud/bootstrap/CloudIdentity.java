package dev.canopy.cloud.bootstrap;

/**
 * What makes one cloud itself, created once at its first start: the grid's random cluster name
 * and a check value sealed with the master key, so a process started with another cloud's key
 * stops instead of failing later on every secret.
 *
 * @param bootstrapped true once the admin credentials and the first tenant have been written
 */
public record CloudIdentity(String clusterName, String keyCheck, boolean bootstrapped) {

  public CloudIdentity asBootstrapped() {
    return new CloudIdentity(clusterName, keyCheck, true);
  }
}
