package dev.canopy.cloud.identity;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.TableSource;
import dev.canopy.cloud.grid.GridMaps;
import dev.canopy.cloud.grid.Table;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
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
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Table<Account> accounts;
  private final Table<AccountName> names;
  private final Table<AccessKey> keys;
  private final SecretBox secrets;
  private final KeyGenerator generator;
  private final InstantSource clock;

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
    Account account =
        findByName(name)
            .orElseThrow(
                () -> new IdentityException(IdentityException.Reason.NOT_FOUND, "no account named " + name));
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
  }

  /** Looks up keys for signature checks: the key must exist and its account must still exist. */
  public CredentialLookup credentials() {
    return accessKeyId ->
        keys.get(accessKeyId)
            .filter(k -> k.accountId().equals(ADMIN_ACCOUNT_ID) || accounts.get(k.accountId()).isPresent())
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
