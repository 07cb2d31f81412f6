package dev.canopy.cloud.compute;

import dev.canopy.api.error.Ec2Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * NextToken of the instance listings: a cursor on the listing's sort key, never an offset, so an
 * instance launched or terminated while a client pages neither shifts nor repeats the others.
 *
 * <p>The sort key is launch time, reservation, launch index and instance id, all fixed for an
 * instance's life: an instance that exists throughout a walk is shown exactly once, and one
 * launched during it (a later launch time) on a later page. The token also carries a check over
 * the key and what the listing was asked for (account, action, filters): a token altered by hand,
 * or handed to another account or another query, is refused with InvalidParameterValue as EC2
 * refuses one. The check is a digest, not a secret: forging one only moves a cursor within the
 * forger's own listing, which any filter can do.
 */
final class PageCursor {

  /** Hex digits of the digest kept in a token: enough to catch any edit by accident or by hand. */
  static final int CHECK_HEX_DIGITS = 16;
  private static final Pattern SORT_KEY = Pattern.compile("\\d{20}\\|r-[^|]+\\|\\d{5}\\|i-[^|]+");

  private PageCursor() {}

  /** The instance's place in every listing ({@link dev.canopy.cloud.grid.LaunchKeys#listingKey}): text order is launch order. */
  static String sortKey(Instance i) {
    return dev.canopy.cloud.grid.LaunchKeys.listingKey(i.launchTime().toEpochMilli(), i.reservationId(), i.amiLaunchIndex(), i.instanceId());
  }

  /** @param query what the listing was asked for (see {@link #query}); the token is valid for it alone */
  static String encode(String sortKey, String query) {
    String text = sortKey + "|" + check(sortKey, query);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The sort key the token continues after.
   *
   * @throws dev.canopy.api.error.AwsException InvalidParameterValue when the token is not one this
   *     listing handed out
   */
  static String decode(String token, String query) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(token);
    }
    int split = text.lastIndexOf('|');
    String sortKey = split < 0 ? "" : text.substring(0, split);
    if (!SORT_KEY.matcher(sortKey).matches() || !check(sortKey, query).equals(text.substring(split + 1))) {
      throw invalid(token);
    }
    return sortKey;
  }

  /** The parts of a request a token is bound to, in one text; filters in the order given. */
  static String query(String action, String accountId, java.util.List<dev.canopy.api.query.Filter> filters) {
    StringBuilder text = new StringBuilder(action).append('\n').append(accountId);
    for (var filter : filters) {
      text.append('\n').append(filter.name());
      filter.values().forEach(v -> text.append('\0').append(v));
    }
    return text.toString();
  }

  private static String check(String sortKey, String query) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((query + "\n" + sortKey).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, CHECK_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static dev.canopy.api.error.AwsException invalid(String token) {
    return Ec2Errors.invalidParameterValue("The token '" + token + "' is invalid.");
  }
}
