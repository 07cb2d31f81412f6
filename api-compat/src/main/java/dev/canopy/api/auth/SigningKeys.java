package dev.canopy.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives SigV4 signing keys (an HMAC chain over date, region, service and "aws4_request") and
 * keeps the most recent ones: a key is valid for a whole day, so a busy endpoint derives each
 * tenant's key once a day instead of four HMACs per request. Entries are keyed by a hash of the
 * secret, never the secret itself, so a rotated secret can never be served a stale key. Thread
 * safe; one instance per verifier.
 */
final class SigningKeys {

  private static final int ENTRIES_MAX_DEFAULT = 1024;

  private final int maxEntries;
  private final Map<CacheKey, byte[]> cache;

  SigningKeys() {
    this(ENTRIES_MAX_DEFAULT);
  }

  SigningKeys(int maxEntries) {
    this.maxEntries = maxEntries;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<CacheKey, byte[]> eldest) {
            return size() > SigningKeys.this.maxEntries;
          }
        };
  }

  /** The signing key for a secret and scope; the returned array must not be modified. */
  byte[] signingKey(String secretAccessKey, CredentialScope scope) {
    CacheKey key = new CacheKey(Crypto.sha256Hex(secretAccessKey), scope);
    synchronized (cache) {
      byte[] cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    byte[] derived = derive(secretAccessKey, scope);
    synchronized (cache) {
      cache.put(key, derived);
    }
    return derived;
  }

  static byte[] derive(String secretAccessKey, CredentialScope scope) {
    byte[] kSecret = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
    byte[] kDate = Crypto.hmacSha256(kSecret, scope.date());
    byte[] kRegion = Crypto.hmacSha256(kDate, scope.region());
    byte[] kService = Crypto.hmacSha256(kRegion, scope.service());
    return Crypto.hmacSha256(kService, CredentialScope.TERMINATOR);
  }

  private record CacheKey(String secretSha256Hex, CredentialScope scope) {}
}
