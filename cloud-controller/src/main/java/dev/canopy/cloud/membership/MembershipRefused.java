package dev.canopy.cloud.membership;

import dev.canopy.api.error.AwsException;

/**
 * A join or leave refused, with the error code and HTTP status the admin API answers and a message
 * that tells the operator what to do.
 */
public final class MembershipRefused extends AwsException {

  MembershipRefused(int httpStatus, String code, String message) {
    super(httpStatus, code, message);
  }
}
