package dev.canopy.cloud.agents;

import dev.canopy.cloud.grid.Table;
import dev.canopy.node.protocol.EnrollmentToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One-time enrollment tokens ({@link EnrollmentToken}): {@link #create} stores only a hash of
 * the secret with an expiry; {@link #redeem} burns the token with a compare-and-set on the
 * grid, so of any number of concurrent redemptions exactly one succeeds.
 */
public final class EnrollmentTokens {

  public static final String MAP_NAME = "enrollment-tokens";
  public static final Duration TTL_MAX = Duration.ofDays(7);

  /** Why a redemption failed, or that it succeeded. */
  public enum Outcome {
    ACCEPTED,
    MALFORMED,
    /** No such token, or the secret does not match: indistinguishable on purpose. */
    UNKNOWN,
    EXPIRED,
    REUSED
  }

  /** @param tokenId empty when the token did not even parse */
  public record Redemption(Outcome outcome, Optional<String> tokenId) {
    public boolean accepted() {
      return outcome == Outcome.ACCEPTED;
    }
  }

  private final Table<TokenRecord> tokens;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final String caSha256;

  /** @param random a cryptographically strong generator in production (SecureRandom) */
  public EnrollmentTokens(Table<TokenRecord> tokens, InstantSource clock, RandomGenerator random, String caSha256) {
    this.tokens = tokens;
    this.clock = clock;
    this.random = random;
    this.caSha256 = caSha256;
  }

  /** A new token valid for {@code ttl}; its text is shown once and never stored. */
  public String create(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(TTL_MAX) > 0) {
      throw new IllegalArgumentException("a token's lifetime must be between 1 s and " + TTL_MAX.toDays() + " days");
    }
    byte[] idBytes = new byte[16];
    byte[] secretBytes = new byte[32];
    random.nextBytes(idBytes);
    random.nextBytes(secretBytes);
    EnrollmentToken token =
        new EnrollmentToken(HexFormat.of().formatHex(idBytes), Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes), caSha256);
    Instant now = clock.instant();
    if (!tokens.putIfAbsent(token.id(), new TokenRecord(token.id(), sha256(token.secret()), now, now.plus(ttl), null))) {
      throw new IllegalStateException("a random 128-bit token id collided");
    }
    return token.format();
  }

  /** Checks and burns a token; see {@link Outcome}. */
  public Redemption redeem(String text) {
    Optional<EnrollmentToken> parsed = EnrollmentToken.parse(text);
    if (parsed.isEmpty()) {
      return new Redemption(Outcome.MALFORMED, Optional.empty());
    }
    EnrollmentToken token = parsed.get();
    Optional<String> id = Optional.of(token.id());
    Optional<TokenRecord> stored = tokens.get(token.id());
    // A token naming another CA is not the one issued here (altered, or from another cloud):
    // unknown, like a wrong secret, and checked before anything can burn the real token.
    if (stored.isEmpty()
        || !token.caSha256().equals(caSha256)
        || !MessageDigest.isEqual(
            stored.get().secretSha256().getBytes(StandardCharsets.US_ASCII), sha256(token.secret()).getBytes(StandardCharsets.US_ASCII))) {
      return new Redemption(Outcome.UNKNOWN, id);
    }
    TokenRecord record = stored.get();
    if (record.usedAt() != null) {
      return new Redemption(Outcome.REUSED, id);
    }
    Instant now = clock.instant();
    if (!now.isBefore(record.expiresAt())) {
      return new Redemption(Outcome.EXPIRED, id);
    }
    // The compare-and-set is the single-use guarantee: a concurrent redemption that read the
    // same unused record loses here.
    if (!tokens.replace(token.id(), record, record.burned(now))) {
      return new Redemption(Outcome.REUSED, id);
    }
    return new Redemption(Outcome.ACCEPTED, id);
  }

  /** Forgets tokens that expired more than {@code keep} ago; returns how many. */
  public int purgeExpired(Duration keep) {
    Instant cutoff = clock.instant().minus(keep);
    var old = tokens.values(t -> t.expiresAt().isBefore(cutoff));
    old.forEach(t -> tokens.remove(t.id()));
    return old.size();
  }

  private static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
