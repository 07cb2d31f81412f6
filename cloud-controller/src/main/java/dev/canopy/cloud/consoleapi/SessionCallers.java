package dev.canopy.cloud.consoleapi;

import dev.canopy.api.auth.Principal;
import dev.canopy.cloud.consolelogin.ConsoleLogin;
import dev.canopy.cloud.consolelogin.ConsoleSessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who a console API call speaks for when it carries a session cookie instead of a signature. A
 * call that changes state (anything but GET and HEAD) must also echo the session's CSRF token in
 * {@value #CSRF_HEADER}: a page of another site can make the browser send the cookie
 * ({@code SameSite=Strict} already stops that in current browsers), but it cannot read the token.
 */
public final class SessionCallers {

  public static final String SESSION_COOKIE = "canopy_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final ConsoleLogin login;

  public SessionCallers(ConsoleLogin login) {
    this.login = login;
  }

  public ConsoleLogin login() {
    return login;
  }

  /** The session token the request's cookie carries, or null. */
  public static String tokenOf(HttpServerRequest request) {
    Cookie cookie = request.getCookie(SESSION_COOKIE);
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  /** Blocking (a grid read): the session's caller, or the refusal to answer. */
  public Principal principal(HttpServerRequest request) {
    ConsoleLogin.Caller caller = session(request);
    boolean changesState = request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD;
    if (changesState) {
      requireCsrf(caller, request);
    }
    return principalOf(caller);
  }

  /**
   * Blocking (a grid read): the session the cookie names, with no CSRF check yet, for an API whose
   * requests change state or not by what they ask rather than by their method (EC2's Describe* is a POST).
   *
   * @throws ApiError 401 {@code NoSession}
   */
  public ConsoleLogin.Caller session(HttpServerRequest request) {
    return login.caller(tokenOf(request))
        .orElseThrow(() -> new ApiError(401, "NoSession", "the console session has expired or was logged out: log in again"));
  }

  /** @throws ApiError 403 {@code InvalidCsrfToken} unless the request echoes the session's CSRF token */
  public static void requireCsrf(ConsoleLogin.Caller caller, HttpServerRequest request) {
    if (!ConsoleSessions.csrfMatches(caller.session(), request.getHeader(CSRF_HEADER))) {
      throw new ApiError(403, "InvalidCsrfToken", "a change needs the session's CSRF token in the " + CSRF_HEADER + " header");
    }
  }

  /** Who the session's calls speak for: its account, with no access key. */
  public static Principal principalOf(ConsoleLogin.Caller caller) {
    return new Principal(caller.accountId(), null);
  }
}
