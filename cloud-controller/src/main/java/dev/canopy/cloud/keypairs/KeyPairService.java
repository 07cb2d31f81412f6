package dev.canopy.cloud.keypairs;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.limits.LimitErrors;
import dev.canopy.cloud.limits.ResourceQuota;
import dev.canopy.cloud.tags.TagRules;
import dev.canopy.cloud.tags.TagStore;
import dev.canopy.cloud.tags.TaggableResources;
import dev.canopy.cloud.tags.TaggableResources;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key pairs of every account, one record per (account, name): the name is the table key, so a
 * duplicate name is refused atomically by {@code putIfAbsent}. Ids are looked up by scanning one
 * account's records, which stay few (AWS allows 5,000 per region).
 */
public final class KeyPairService implements KeyPairs {

  /** The grid map (and durable namespace) of key pairs. */
  public static final String MAP = "key-pairs";
  public static final String RESOURCE_TYPE = "key-pair";
  public static final String ID_PREFIX = "key";
  /** AWS: "Constraints: Up to 255 ASCII characters". */
  static final int NAME_CHARS_MAX = 255;

  private final Table<KeyPair> table;
  private final TagStore tags;
  private final ResourceIds ids;
  private final SecureRandom random;
  private final InstantSource clock;
  private final ResourceQuota quota;

  public KeyPairService(Table<KeyPair> table, TagStore tags, ResourceIds ids, SecureRandom random, InstantSource clock) {
    this(table, tags, ids, random, clock, ResourceQuota.NONE);
  }

  /** With a per-account quota on key pairs (CreateKeyPair, ImportKeyPair: KeyPairLimitExceeded). */
  public KeyPairService(Table<KeyPair> table, TagStore tags, ResourceIds ids, SecureRandom random, InstantSource clock, ResourceQuota quota) {
    this.quota = quota;
    this.table = table;
    this.tags = tags;
    this.ids = ids;
    this.random = random;
    this.clock = clock;
  }

  /** The service over the grid's durable {@link #MAP}. */
  public static KeyPairService onGrid(Grid grid, TagStore tags, ResourceIds ids, SecureRandom random, InstantSource clock) {
    return new KeyPairService(grid.map(MAP, KeyPair.class), tags, ids, random, clock);
  }

  /** The same service over the same table, with this quota. */
  public KeyPairService withQuota(ResourceQuota newQuota) {
    return new KeyPairService(table, tags, ids, random, clock, newQuota);
  }

  /** How CreateTags finds key pairs ({@code key-...}); register it with TaggableResources. */
  public TaggableResources.Kind taggableKind() {
    return new TaggableResources.Kind(ID_PREFIX, RESOURCE_TYPE, "InvalidKeyPair.NotFound", this::exists);
  }

  /**
   * Creates a key pair; the private key is in the result only.
   *
   * @param keyType {@code rsa} or {@code ed25519}
   * @param keyFormat {@code pem}; {@code ppk} is refused (PuTTY users convert with puttygen)
   */
  public CreatedKeyPair create(String accountId, String keyName, String keyType, String keyFormat, Map<String, String> newTags) {
    checkName(keyName);
    if (!keyFormat.equals("pem")) {
      throw Ec2Errors.invalidParameterValue("Value (" + keyFormat + ") for parameter keyFormat is invalid. Canopy supports pem.");
    }
    TagRules.check(newTags);
    checkQuota(accountId);
    SshKeys.Generated generated = switch (keyType) {
      case "rsa" -> SshKeys.generateRsa(random);
      case "ed25519" -> SshKeys.generateEd25519(random);
      default -> throw Ec2Errors.invalidParameterValue("Value (" + keyType + ") for parameter keyType is invalid. Expected rsa or ed25519.");
    };
    KeyPair stored = store(accountId, keyName, generated.keyType(), generated.publicKeyBase64(), generated.fingerprint(), newTags);
    return new CreatedKeyPair(stored, generated.privateKeyPem());
  }

  /** Imports an OpenSSH public key line (the decoded PublicKeyMaterial). */
  public KeyPair importKey(String accountId, String keyName, byte[] material, Map<String, String> newTags) {
    checkName(keyName);
    TagRules.check(newTags);
    checkQuota(accountId);
    SshKeys.Parsed parsed = SshKeys.parseImported(material);
    return store(accountId, keyName, parsed.keyType(), parsed.publicKeyBase64(), parsed.fingerprint(), newTags);
  }

  /**
   * The account's key pairs, all of them when no names or ids are given.
   *
   * @throws AwsException InvalidKeyPair.NotFound naming the first unknown name or id
   */
  public List<KeyPair> describe(String accountId, List<String> names, List<String> keyPairIds) {
    List<KeyPair> mine = table.values(k -> k.accountId().equals(accountId)).stream()
        .sorted(Comparator.comparing(KeyPair::keyName)).toList();
    if (names.isEmpty() && keyPairIds.isEmpty()) {
      return mine;
    }
    for (String name : names) {
      if (mine.stream().noneMatch(k -> k.keyName().equals(name))) {
        throw KeyPairErrors.notFound(name);
      }
    }
    for (String id : keyPairIds) {
      if (mine.stream().noneMatch(k -> k.keyPairId().equals(id))) {
        throw KeyPairErrors.notFound(id);
      }
    }
    List<KeyPair> out = new ArrayList<>();
    for (KeyPair k : mine) {
      if (names.contains(k.keyName()) || keyPairIds.contains(k.keyPairId())) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Deletes by name or id; like AWS, an unknown key pair is a success (deletion is idempotent).
   *
   * @return the id of the key pair deleted, if there was one
   */
  public Optional<String> delete(String accountId, Optional<String> keyName, Optional<String> keyPairId) {
    if (keyName.isEmpty() && keyPairId.isEmpty()) {
      throw Ec2Errors.missingParameter("KeyName or KeyPairId");
    }
    Optional<KeyPair> target = keyName.isPresent() ? find(accountId, keyName.get()) : findById(accountId, keyPairId.get());
    target.ifPresent(k -> {
      table.remove(key(accountId, k.keyName()));
      tags.remove(accountId, k.keyPairId(), List.of());
    });
    return target.map(KeyPair::keyPairId);
  }

  @Override
  public Optional<KeyPair> find(String accountId, String keyName) {
    return table.get(key(accountId, keyName));
  }

  public Optional<KeyPair> findById(String accountId, String keyPairId) {
    return table.values(k -> k.accountId().equals(accountId) && k.keyPairId().equals(keyPairId)).stream().findFirst();
  }

  /** For CreateTags: does this account have the key pair {@code key-...}? */
  public boolean exists(String accountId, String keyPairId) {
    return findById(accountId, keyPairId).isPresent();
  }

  private KeyPair store(String accountId, String keyName, String keyType, String blob, String fingerprint, Map<String, String> newTags) {
    String sshType = keyType.equals("rsa") ? "ssh-rsa" : "ssh-ed25519";
    // CreateTime has millisecond precision on the wire; truncating keeps stored and shown equal.
    KeyPair pair = new KeyPair(accountId, ids.next(ID_PREFIX), keyName, keyType, fingerprint,
        sshType + " " + blob + " " + keyName, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    if (!table.putIfAbsent(key(accountId, keyName), pair)) {
      throw KeyPairErrors.duplicate(keyName);
    }
    if (!newTags.isEmpty()) {
      tags.put(accountId, pair.keyPairId(), RESOURCE_TYPE, newTags);
    }
    return pair;
  }

  /**
   * Before generating or parsing a key. Check then create, not atomic: two creates racing at
   * the limit may both pass, leaving the account one over (the quota bounds growth, not exactly).
   */
  private void checkQuota(String accountId) {
    if (quota.isUnlimited()) {
      return;
    }
    int existing = table.values(k -> k.accountId().equals(accountId)).size();
    if (!quota.allowsOneMore(existing)) {
      throw LimitErrors.keyPairLimitExceeded(quota.limit());
    }
  }

  private static void checkName(String keyName) {
    boolean ascii = keyName.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    if (keyName.isEmpty() || keyName.length() > NAME_CHARS_MAX || !ascii) {
      throw Ec2Errors.invalidParameterValue("Value (" + keyName + ") for parameter keyName is invalid. Up to "
          + NAME_CHARS_MAX + " printable ASCII characters.");
    }
  }

  private static String key(String accountId, String keyName) {
    return accountId + "/" + keyName;
  }
}
