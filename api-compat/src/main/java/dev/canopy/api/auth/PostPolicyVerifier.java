package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies the SigV4 signature of an S3 browser-form upload (POST Object): the signature is the
 * HMAC-SHA256, under the usual SigV4 signing key of the credential's scope, of the base64 policy
 * document as the form carries it. What the policy allows (expiry, conditions) is the S3 layer's
 * business; this class only says who signed it. Thread safe; one instance per endpoint.
 */
public final class PostPolicyVerifier {

  private static final Pattern SCOPE_DATE = Pattern.compile("[0-9]{8}");
  private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");

  private final CredentialLookup credentials;
  private final String region;
  private final RegionPolicy regionPolicy;
  private final String service;
  private final SigningKeys signingKeys = new SigningKeys();

  /** Same scope rules as the endpoint's {@link SigV4Verifier}. */
  public PostPolicyVerifier(CredentialLookup credentials, String region, RegionPolicy regionPolicy, String service) {
    this.credentials = Objects.requireNonNull(credentials);
    this.region = Objects.requireNonNull(region);
    this.regionPolicy = Objects.requireNonNull(regionPolicy);
    this.service = Objects.requireNonNull(service);
  }

  /**
   * @param credential the form's {@code x-amz-credential}: {@code AKID/yyyyMMdd/region/service/aws4_request}
   * @param amzDate the form's {@code x-amz-date}, whose day the scope must name
   * @param policy the form's {@code policy} field exactly as sent (base64)
   * @param signature the form's {@code x-amz-signature}, hex
   * @throws AuthException MALFORMED (credential, date or signature syntax, wrong scope),
   *     UNKNOWN_ACCESS_KEY, SIGNATURE_MISMATCH
   */
  public Principal verify(String credential, String amzDate, String policy, String signature) throws AuthException {
    String[] parts = credential.split("/", -1);
    if (parts.length != 5 || parts[0].isEmpty() || !SCOPE_DATE.matcher(parts[1]).matches()) {
      throw malformed("x-amz-credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
    }
    CredentialScope scope = new CredentialScope(parts[1], parts[2], parts[3]);
    boolean regionRefused = scope.region().isEmpty() || regionPolicy == RegionPolicy.EXACT && !scope.region().equals(region);
    if (regionRefused || !scope.service().equals(service) || !parts[4].equals(CredentialScope.TERMINATOR)) {
      throw malformed("x-amz-credential names the scope " + scope + "; this endpoint is " + service + " in " + region);
    }
    if (AmzDates.parseAmzDate(amzDate).isEmpty() || !amzDate.startsWith(scope.date())) {
      throw malformed("x-amz-date must be yyyyMMdd'T'HHmmss'Z' on the day x-amz-credential names");
    }
    if (!HEX_SIGNATURE.matcher(signature).matches()) {
      throw malformed("x-amz-signature must be 64 hex characters");
    }
    Credential found = credentials.find(parts[0]).orElseThrow(() -> new AuthException(
        Kind.UNKNOWN_ACCESS_KEY, "The AWS Access Key Id you provided does not exist in our records."));
    byte[] key = signingKeys.signingKey(found.secretAccessKey(), scope);
    String expected = Crypto.HEX.formatHex(Crypto.hmacSha256(key, policy));
    if (!Crypto.signaturesEqual(expected, signature.toLowerCase(Locale.ROOT))) {
      throw new AuthException(Kind.SIGNATURE_MISMATCH,
          "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }
    return new Principal(found.accountId(), found.accessKeyId());
  }

  private static AuthException malformed(String message) {
    return new AuthException(Kind.MALFORMED, Detail.NONE, false, message);
  }
}
