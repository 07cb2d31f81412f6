package dev.canopy.cloud.consolelogin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash},
 * unpadded base64), BouncyCastle's implementation. A hash carries its own cost, so a hash made
 * under an older cost still verifies after the default is raised.
 */
public final class PasswordHash {

  /**
   * Argon2id's cost: memory in KiB, passes, lanes. The default is OWASP's first recommendation
   * for Argon2id (19 MiB, 2 passes, 1 lane): about 50 ms a hash on one core of a small server.
   */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    public static final Cost DEFAULT = new Cost(19_456, 2, 1);
  }

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  /** A stored hash's cost is bounded so that a tampered record cannot make a login cost minutes. */
  private static final int MEMORY_KIB_MAX = 1 << 20;
  private static final int ITERATIONS_MAX = 16;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{16,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private PasswordHash() {}

  public static String hash(String password, Cost cost, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return encode(cost, salt, derive(password, salt, cost, HASH_BYTES));
  }

  /**
   * A well-formed hash of {@code cost} that no password was hashed into: its digest is random, so
   * verifying against it costs as much as against a real one and fails (but for a 2^-256 chance,
   * which callers rule out by also checking that a real hash was stored). Making it costs no hash.
   */
  public static String decoy(Cost cost, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    byte[] digest = new byte[HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(digest);
    return encode(cost, salt, digest);
  }

  private static String encode(Cost cost, byte[] salt, byte[] hash) {
    return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** True when {@code password} is the one {@code encoded} was made from; false for a malformed hash. */
  public static boolean verify(String password, String encoded) {
    Optional<Parsed> parsed = parse(encoded);
    if (parsed.isEmpty()) {
      return false;
    }
    Parsed p = parsed.get();
    return MessageDigest.isEqual(derive(password, p.salt(), p.cost(), p.hash().length), p.hash());
  }

  private record Parsed(Cost cost, byte[] salt, byte[] hash) {}

  private static Optional<Parsed> parse(String encoded) {
    Matcher m = encoded == null ? null : PHC.matcher(encoded);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    Cost cost = new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    if (cost.memoryKib() < 8 * cost.parallelism() || cost.memoryKib() > MEMORY_KIB_MAX || cost.iterations() < 1
        || cost.iterations() > ITERATIONS_MAX || cost.parallelism() < 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Parsed(cost, Base64.getDecoder().decode(m.group(4)), Base64.getDecoder().decode(m.group(5))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(cost.memoryKib())
        .withIterations(cost.iterations())
        .withParallelism(cost.parallelism())
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
