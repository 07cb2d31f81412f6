package dev.canopy.api.auth;

/**
 * The {@code date/region/service/aws4_request} part of a credential: it both selects the signing
 * key and appears in every string to sign.
 *
 * @param date yyyyMMdd in UTC
 */
record CredentialScope(String date, String region, String service) {

  static final String TERMINATOR = "aws4_request";

  @Override
  public String toString() {
    return date + "/" + region + "/" + service + "/" + TERMINATOR;
  }
}
