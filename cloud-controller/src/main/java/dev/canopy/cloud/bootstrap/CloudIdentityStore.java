package dev.canopy.cloud.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.crypto.SecretBoxException;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads and creates the {@link CloudIdentity}. It lives in the durable store directly, not in
 * the grid, because the grid cannot start before the master key is known to be this cloud's.
 */
public final class CloudIdentityStore {

  /** The identity stays on each storage node's own store: every node checks its data against it. */
  public static final String NAMESPACE = "cloud";
  private static final String KEY = "identity";
  private static final String CHECK_PURPOSE = "master-key-check";
  private static final String CHECK_VALUE = "canopy";

  private final SystemStore store;
  private final SecretBox secrets;
  private final ObjectMapper json = new ObjectMapper();

  public CloudIdentityStore(SystemStore store, SecretBox secrets) {
    this.store = store;
    this.secrets = secrets;
  }

  /**
   * The existing identity, checked against the master key, or a new one on first start.
   *
   * @throws IllegalStateException when the master key is not this cloud's: the process must stop
   */
  public CloudIdentity loadOrCreate(SecureRandom random) {
    Optional<CloudIdentity> existing = load();
    if (existing.isPresent()) {
      verifyKey(existing.get());
      return existing.get();
    }
    byte[] suffix = new byte[8];
    random.nextBytes(suffix);
    CloudIdentity created =
        new CloudIdentity(
            "canopy-" + HexFormat.of().formatHex(suffix), secrets.seal(CHECK_VALUE, CHECK_PURPOSE), false);
    save(created);
    return created;
  }

  /**
   * The stored identity, checked against the master key; empty when this store holds none (a new
   * storage node's folder).
   *
   * @throws IllegalStateException when the master key is not this cloud's
   */
  public Optional<CloudIdentity> loadChecked() {
    Optional<CloudIdentity> existing = load();
    existing.ifPresent(this::verifyKey);
    return existing;
  }

  /**
   * Writes the identity of the cloud named {@code cloudName} into a store that holds none: a new
   * storage node of an existing cloud, whose master key this process holds.
   */
  public CloudIdentity adopt(String cloudName) {
    if (load().isPresent()) {
      throw new IllegalStateException("this store already holds a cloud identity");
    }
    CloudIdentity adopted = new CloudIdentity(cloudName, secrets.seal(CHECK_VALUE, CHECK_PURPOSE), false);
    save(adopted);
    return adopted;
  }

  public void save(CloudIdentity identity) {
    try {
      store.put(NAMESPACE, KEY, json.writeValueAsBytes(identity));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the cloud identity is a plain record", e);
    }
  }

  private Optional<CloudIdentity> load() {
    return store
        .get(NAMESPACE, KEY)
        .map(
            bytes -> {
              try {
                return json.readValue(bytes, CloudIdentity.class);
              } catch (java.io.IOException e) {
                throw new IllegalStateException(
                    "the stored cloud identity is unreadable: " + new String(bytes, StandardCharsets.UTF_8).length() + " bytes", e);
              }
            });
  }

  private void verifyKey(CloudIdentity identity) {
    try {
      if (!CHECK_VALUE.equals(secrets.open(identity.keyCheck(), CHECK_PURPOSE))) {
        throw new SecretBoxException("check value differs");
      }
    } catch (SecretBoxException e) {
      throw new IllegalStateException(
          "the master key does not belong to this cloud's data: start with the cloud's own "
              + "CANOPY_MASTER_KEY or keys/master.key");
    }
  }
}
