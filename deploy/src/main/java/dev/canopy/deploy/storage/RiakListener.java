package dev.canopy.deploy.storage;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.storage.kv.riak.RiakHttpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BiPredicate;
import javax.net.ssl.KeyManagerFactory;

/**
 * Where and how the storage role serves the Riak HTTP interface: on the role's own address when
 * that is a loopback one (so the nodes of a cluster on one machine each have their own), else on
 * 127.0.0.1, with no credentials, as a default Riak node; on the address {@code riak.bindAddress}
 * names otherwise, with TLS (the node's storage certificate) and HTTP basic credentials that must
 * be the cloud administrator's access key.
 */
final class RiakListener {

  private static final String LOOPBACK = "127.0.0.1";

  private RiakListener() {}

  static RiakHttpConfig config(CanopyConfig config, KeyManagerFactory tlsKeys, CredentialLookup keys) {
    String host = host(config);
    int port = config.ports().riak();
    return isLoopback(host) ? RiakHttpConfig.loopback(host, port) : RiakHttpConfig.secured(host, port, tlsKeys, adminOnly(keys));
  }

  static String host(CanopyConfig config) {
    if (config.riak().bindAddress() != null) {
      return config.riak().bindAddress();
    }
    return isLoopback(config.bindAddress()) ? config.bindAddress() : LOOPBACK;
  }

  static String url(RiakHttpConfig config, int port) {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return (config.tlsKeys() == null ? "http://" : "https://") + host + ":" + port;
  }

  /** Admits the administrator's access key with its secret; any tenant's key, or a wrong secret, is refused. */
  static BiPredicate<String, String> adminOnly(CredentialLookup keys) {
    return (accessKeyId, secret) -> keys.find(accessKeyId)
        .filter(found -> IdentityService.ADMIN_ACCOUNT_ID.equals(found.accountId()))
        .map(Credential::secretAccessKey)
        .filter(expected -> MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8)))
        .isPresent();
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown address " + host, e);
    }
  }
}
