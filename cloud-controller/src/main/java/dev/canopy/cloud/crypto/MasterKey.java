package dev.canopy.cloud.crypto;

import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cloud's 256-bit master key. Every secret is encrypted with it before it enters the grid
 * or the store. It comes from {@code CANOPY_MASTER_KEY} (base64) when set, otherwise from
 * {@code DATA/keys/master.key} (mode 0600), which the first start of a cloud creates.
 */
public final class MasterKey {

  public static final String ENV_VARIABLE = "CANOPY_MASTER_KEY";
  private static final int KEY_BYTES = 32;

  private final byte[] key;

  private MasterKey(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a master key is " + KEY_BYTES + " bytes, this one is " + key.length);
    }
    this.key = key.clone();
  }

  public static MasterKey fromBase64(String encoded) {
    try {
      return new MasterKey(Base64.getDecoder().decode(encoded.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the master key is not valid base64 of 32 bytes", e);
    }
  }

  public static MasterKey generate(SecureRandom random) {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  /**
   * The environment's key if given, else the key file, else a new key written to the file.
   *
   * @param environmentValue the value of {@link #ENV_VARIABLE}, if set
   */
  public static MasterKey loadOrCreate(
      Optional<String> environmentValue, Path keyFile, SecureRandom random) throws IOException {
    if (environmentValue.isPresent() && !environmentValue.get().isBlank()) {
      return fromBase64(environmentValue.get());
    }
    if (Files.exists(keyFile)) {
      return fromBase64(Files.readString(keyFile));
    }
    MasterKey created = generate(random);
    DurableFiles.writeOwnerOnly(keyFile, created.toBase64() + "\n");
    return created;
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /**
   * A 32-byte key for one purpose, HMAC-SHA256 of the purpose under the master key: whoever learns
   * a derived key learns neither the master key nor any other purpose's key.
   */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 17 runtime has HmacSHA256", e);
    }
  }

  SecretKey aesKey() {
    return new SecretKeySpec(key, "AES");
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MasterKey that && Arrays.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }
}
