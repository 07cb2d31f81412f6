package dev.canopy.api.auth;

/** Who signed a verified request: the account every action is authorised against. */
public record Principal(String accountId, String accessKeyId) {

  /**
   * The requester of an unsigned request (S3's anonymous access). Its account id is no tenant id
   * (those are twelve digits), so it never owns anything nor equals an owner.
   */
  public static final Principal ANONYMOUS = new Principal("anonymous", null);

  public boolean isAnonymous() {
    return ANONYMOUS.equals(this);
  }
}
