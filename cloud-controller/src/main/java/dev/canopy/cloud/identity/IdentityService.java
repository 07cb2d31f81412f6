package dev.canopy.cloud.identity;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.events.EventRecorder;
import dev.canopy.cloud.events.EventTypes;
import dev.canopy.cloud.grid.Tables;
import dev.canopy.cloud.grid.TableSource;
import dev.canopy.cloud.grid.GridMaps;
import dev.canopy.cloud.grid.Table;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accounts and access keys. Creation writes the name reservation, then the key, then the
 * account record last, so an account is listed and its key authenticates only once all three
 * are durable; deletion runs in the opposite order. The administrator is not an account: its key
 * belongs to the reserved id {@link #ADMIN_ACCOUNT_ID}, which owns no resources.
 */
public final class IdentityService {

  public static final String ADMIN_ACCOUNT_ID = "admin";
  /** Access keys an account may hold at once, active or not: two, as IAM allows, so a key can be rotated. */
  public static final int KEYS_PER_ACCOUNT_MAX = 2;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Table<Account> accounts;
  private final Table<AccountName> names;
  private final Table<AccessKey> keys;
  private final SecretBox secrets;
  private final KeyGenerator generator;
  private final InstantSource clock;
  private volatile EventRecorder events = EventRecorder.NONE;

  /** The service over the grid's accounts, account names and access keys. */
  public static IdentityService onGrid(TableSource grid, SecretBox secrets, SecureRandom random, InstantSource clock) {
    return new IdentityService(grid.map(GridMaps.ACCOUNTS, Account.class), grid.map(GridMaps.ACCOUNT_NAMES, AccountName.class),
        grid.map(GridMaps.ACCESS_KEYS, AccessKey.class), secrets, random, clock);
  }

  public IdentityService(
      Table<Account> accounts,
      Table<AccountName> names,
      Table<AccessKey> keys,
      SecretBox secrets,
      SecureRandom random,
      InstantSource clock) {
    this.accounts = accounts;
    this.names = names;
    this.keys = keys;
    this.secrets = secrets;
    this.generator = new KeyGenerator(random);
    this.clock = clock;
  }

  /** Records account and key changes in the event log. */
  public IdentityService withEvents(EventRecorder recorder) {
    this.events = recorder;
    return this;
  }

  public NewAccount createAccount(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IdentityException(
          IdentityException.Reason.INVALID_NAME,
          "account names are 1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
    }
    if (name.equals(ADMIN_ACCOUNT_ID)) {
      // The operator logs in to the console as "admin": no tenant may take the name.
      throw new IdentityException(IdentityException.Reason.INVALID_NAME, "the account name admin is reserved for the operator");
    }
    String accountId = generator.accountId();
    if (!names.putIfAbsent(name, new AccountName(name, accountId))) {
      throw new IdentityException(
          IdentityException.Reason.ALREADY_EXISTS, "an account named " + name + " already exists");
    }
    try {
      Credential credential = issueKey(accountId);
      Account account = new Account(accountId, name, clock.instant());
      accounts.put(accountId, account);
      events.record(EventTypes.ACCOUNT_CREATED, accountId, name, Map.of());
      events.record(EventTypes.KEY_CREATED, accountId, credential.accessKeyId(), Map.of("account", name));
      return new NewAccount(account, credential);
    } catch (RuntimeException e) {
      // Undo the reservation (and any key) so a failed create leaves nothing behind.
      keys.values(k -> k.accountId().equals(accountId)).forEach(k -> keys.remove(k.accessKeyId()));
      names.remove(name);
      throw e;
    }
  }

  /** A new key for the administrator; the caller stores it in DATA/admin/credentials. */
  public Credential createAdminKey() {
    return issueKey(ADMIN_ACCOUNT_ID);
  }

  public List<Account> listAccounts() {
    return accounts.values(a -> true).stream().sorted(Comparator.comparing(Account::name)).toList();
  }

  public Optional<Account> findByName(String name) {
    return names.get(name).flatMap(n -> accounts.get(n.accountId()));
  }

  public Optional<Account> findById(String accountId) {
    return accounts.get(accountId);
  }

  /** Deletes an account and its keys; refused while it owns anything. */
  public void deleteAccount(String name, ResourceOwnership ownership) {
    Account account = named(name);
    List<String> owned = ownership.ownedBy(account.id());
    if (!owned.isEmpty()) {
      throw new IdentityException(
          IdentityException.Reason.DELETE_CONFLICT,
          "account " + name + " still owns " + owned.size() + " resource(s): "
              + String.join(", ", owned.subList(0, Math.min(5, owned.size()))));
    }
    accounts.remove(account.id());
    keys.values(k -> k.accountId().equals(account.id())).forEach(k -> keys.remove(k.accessKeyId()));
    names.remove(name);
    events.record(EventTypes.ACCOUNT_DELETED, account.id(), name, Map.of());
  }

  /**
   * Disables the account: from now on its keys are refused wherever a signature is checked, and its
   * console logins and sessions too; what it owns stays (instances keep running). Idempotent.
   */
  public Account disable(String name) {
    return setDisabled(name, true, EventTypes.ACCOUNT_DISABLED);
  }

  /** Enables a disabled account again: its active keys work again. Idempotent. */
  public Account enable(String name) {
    return setDisabled(name, false, EventTypes.ACCOUNT_ENABLED);
  }

  private Account setDisabled(String name, boolean disabled, String eventType) {
    Account account = named(name);
    boolean[] changed = new boolean[1];
    Account after = Tables.update(accounts, account.id(), a -> {
      changed[0] = a.disabled() != disabled;
      return changed[0] ? a.withDisabled(disabled) : a;
    }).orElseThrow(() -> new IdentityException(IdentityException.Reason.NOT_FOUND, "no account named " + name));
    if (changed[0]) {
      events.record(eventType, account.id(), name, Map.of());
    }
    return after;
  }

  /** The account's keys, oldest first, without their secrets. */
  public List<KeyView> listKeys(String name) {
    Account account = named(name);
    return keysOf(account.id()).stream().map(KeyView::of).toList();
  }

  /**
   * A new access key for the account: the one time its secret is returned. Refused ({@code
   * LimitExceeded}) when the account already holds {@value #KEYS_PER_ACCOUNT_MAX} keys: delete one first.
   */
  public Credential createKey(String name) {
    Account account = named(name);
    if (keysOf(account.id()).size() >= KEYS_PER_ACCOUNT_MAX) {
      throw new IdentityException(IdentityException.Reason.LIMIT_EXCEEDED,
          "account " + name + " already has " + KEYS_PER_ACCOUNT_MAX + " access keys: delete one first");
    }
    Credential credential = issueKey(account.id());
    events.record(EventTypes.KEY_CREATED, account.id(), credential.accessKeyId(), Map.of("account", name));
    return credential;
  }

  /** Deactivates one of the account's keys: it is refused from now on, and can then be deleted. */
  public void deactivateKey(String name, String accessKeyId) {
    Account account = named(name);
    AccessKey key = keyOf(account, accessKeyId);
    if (key.active()) {
      Tables.update(keys, accessKeyId, k -> k.active() ? k.deactivated() : k);
      events.record(EventTypes.KEY_DEACTIVATED, account.id(), accessKeyId, Map.of("account", name));
    }
  }

  /** Deletes one of the account's keys (active or not). */
  public void deleteKey(String name, String accessKeyId) {
    Account account = named(name);
    keyOf(account, accessKeyId);
    keys.remove(accessKeyId);
    events.record(EventTypes.KEY_DELETED, account.id(), accessKeyId, Map.of("account", name));
  }

  private Account named(String name) {
    return findByName(name)
        .orElseThrow(() -> new IdentityException(IdentityException.Reason.NOT_FOUND, "no account named " + name));
  }

  /** Another account's key is "no such key" too, as IAM answers. */
  private AccessKey keyOf(Account account, String accessKeyId) {
    return (accessKeyId == null ? Optional.<AccessKey>empty() : keys.get(accessKeyId))
        .filter(k -> k.accountId().equals(account.id()))
        .orElseThrow(() -> new IdentityException(IdentityException.Reason.NO_SUCH_KEY,
            "account " + account.name() + " has no access key " + shown(accessKeyId)));
  }

  private List<AccessKey> keysOf(String accountId) {
    return keys.values(k -> k.accountId().equals(accountId)).stream()
        .sorted(Comparator.comparing(AccessKey::createdAt).thenComparing(AccessKey::accessKeyId)).toList();
  }

  private static String shown(String value) {
    if (value == null) {
      return "(none)";
    }
    return value.length() > 32 ? value.substring(0, 32) + "..." : value.replaceAll("[^A-Za-z0-9]", "?");
  }

  /**
   * Looks up keys for signature checks: the key must exist and be active, and its account must still
   * exist and not be disabled. A refused key looks unknown, as AWS answers a deactivated key
   * (EC2 {@code AuthFailure}, S3 and the console port {@code InvalidAccessKeyId}).
   */
  public CredentialLookup credentials() {
    return accessKeyId ->
        keys.get(accessKeyId)
            .filter(AccessKey::active)
            .filter(k -> k.accountId().equals(ADMIN_ACCOUNT_ID) || accounts.get(k.accountId()).filter(a -> !a.disabled()).isPresent())
            .map(k -> new Credential(k.accessKeyId(), secrets.open(k.sealedSecret(), purpose(k.accessKeyId())), k.accountId()));
  }

  /**
   * One access key of the account, with its secret, for a call the controller makes on the account's
   * behalf (the console's S3 requests, signed so that the account's policies, quotas and metering
   * apply). The oldest key, so the choice is stable; empty when the account has none or is gone.
   */
  public Optional<Credential> credentialOf(String accountId) {
    if (accountId.equals(ADMIN_ACCOUNT_ID) || accounts.get(accountId).isEmpty()) {
      return Optional.empty();
    }
    return keys.values(k -> k.accountId().equals(accountId)).stream()
        .min(Comparator.comparing(AccessKey::createdAt).thenComparing(AccessKey::accessKeyId))
        .map(k -> new Credential(k.accessKeyId(), secrets.open(k.sealedSecret(), purpose(k.accessKeyId())), k.accountId()));
  }

  private Credential issueKey(String accountId) {
    String accessKeyId = generator.accessKeyId();
    String secret = generator.secretAccessKey();
    AccessKey key =
        new AccessKey(accessKeyId, accountId, secrets.seal(secret, purpose(accessKeyId)), clock.instant());
    if (!keys.putIfAbsent(accessKeyId, key)) {
      throw new IllegalStateException("80 random bits collided: the random source is broken");
    }
    return new Credential(accessKeyId, secret, accountId);
  }

  /** Binds each sealed secret to its key id, so a sealed value copied to another key fails to open. */
  private static String purpose(String accessKeyId) {
    return "access-key-secret/" + accessKeyId;
  }
}
