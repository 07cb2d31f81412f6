package dev.canopy.cloud.compute;

/**
 * A RunInstances client token, claimed before anything is launched (key: account/token), so
 * that a retry racing the original sees the claim and answers with the same reservation.
 */
public record ClientTokenRecord(String accountId, String token, LaunchRequest request, String reservationId) {

  static String key(String accountId, String token) {
    return accountId + "/" + token;
  }
}
