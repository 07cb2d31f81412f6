package dev.canopy.deploy.config;

/**
 * Where the storage role's Riak HTTP interface listens.
 *
 * @param bindAddress null (the default): the storage role's own address when that is a loopback
 *     address, else 127.0.0.1, so only this machine's processes reach it without credentials. Any
 *     other address serves TLS and asks for the cloud's admin access key (HTTP basic).
 */
public record RiakSettings(String bindAddress) {
  public RiakSettings {
    if (bindAddress != null && bindAddress.isBlank()) {
      throw new ConfigException("riak.bindAddress", "must be an address such as 10.0.0.5, or left out");
    }
  }
}
