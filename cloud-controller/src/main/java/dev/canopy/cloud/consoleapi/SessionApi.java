package dev.canopy.cloud.consoleapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.cloud.consolelogin.ConsoleLogin;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Console logins on the console port: {@code POST /api/session} with {@code {"account",
 * "password"}} opens a session (a new token in an HttpOnly, {@code SameSite=Strict} cookie,
 * {@code Secure} on HTTPS; the CSRF token in the answer), {@code GET /api/session} says who is
 * logged in, {@code DELETE /api/session} logs out. The login body must be JSON, which a form of
 * another site cannot send without the browser asking first.
 */
public final class SessionApi implements ConsoleRoutes {

  private static final int BODY_BYTES_MAX = 4 * 1024;

  private final Vertx vertx;
  private final SessionCallers sessions;
  private final SignedCalls calls;

  public SessionApi(Vertx vertx, SessionCallers sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.calls = new SignedCalls(vertx, null, LoggerFactory.getLogger(SessionApi.class));
  }

  @Override
  public void mount(Router router) {
    router.route("/api/session").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    router.post("/api/session").handler(this::login);
    router.get("/api/session").handler(this::whoami);
    router.delete("/api/session").handler(this::logout);
  }

  private void login(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      calls.error(ctx, 415, "UnsupportedMediaType", "a login is a JSON body {\"account\", \"password\"}");
      return;
    }
    String account;
    String password;
    try {
      JsonNode body = calls.json().readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
      if (body == null || !body.path("account").isTextual() || !body.path("password").isTextual()) {
        throw new IOException("not an object with strings account and password");
      }
      account = body.get("account").asText();
      password = body.get("password").asText();
    } catch (IOException e) {
      calls.error(ctx, 400, "InvalidParameterValue", "a login is a JSON body {\"account\", \"password\"}");
      return;
    }
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    vertx.executeBlocking(() -> sessions.login().login(account, password, address), false)
        .onSuccess(loggedIn -> {
          ConsoleLogin.Caller caller = loggedIn.caller();
          ctx.response().addCookie(cookie(ctx, loggedIn.token()));
          answer(ctx, 200, describe(caller));
        })
        .onFailure(failure -> {
          if (failure instanceof ConsoleLogin.Refused refused) {
            refused.retryAfter().ifPresentOrElse(wait -> {
              ctx.response().putHeader("retry-after", Long.toString(Math.max(1, wait.toSeconds())));
              calls.error(ctx, 429, "TooManyLoginAttempts", refused.getMessage());
            }, () -> calls.error(ctx, 401, "InvalidLogin", refused.getMessage()));
          } else {
            calls.fail(ctx, failure);
          }
        });
  }

  private void whoami(RoutingContext ctx) {
    String token = SessionCallers.tokenOf(ctx.request());
    vertx.executeBlocking(() -> sessions.login().caller(token), false)
        .onSuccess(caller -> caller.ifPresentOrElse(c -> answer(ctx, 200, describe(c)),
            () -> calls.error(ctx, 401, "NoSession", "not logged in")))
        .onFailure(failure -> calls.fail(ctx, failure));
  }

  private void logout(RoutingContext ctx) {
    if (SessionCallers.tokenOf(ctx.request()) == null) {
      calls.error(ctx, 401, "NoSession", "not logged in");
      return;
    }
    // The CSRF check too: another site must not be able to log a user out.
    vertx.executeBlocking(() -> {
          sessions.principal(ctx.request());
          sessions.login().logout(SessionCallers.tokenOf(ctx.request()));
          return null;
        }, false)
        .onSuccess(done -> {
          ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(failure -> calls.fail(ctx, failure));
  }

  private Map<String, Object> describe(ConsoleLogin.Caller caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accountId", caller.accountId());
    body.put("accountName", caller.accountName());
    body.put("operator", caller.operator());
    body.put("csrfToken", caller.session().csrfToken());
    body.put("expiresAt", caller.session().expiresAt(sessions.login().limits()).toString());
    return body;
  }

  private void answer(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store").end(io.vertx.core.buffer.Buffer.buffer(calls.json().writeValueAsBytes(body)));
    } catch (IOException e) {
      calls.fail(ctx, e);
    }
  }

  /** A browser-session cookie (no Max-Age): closing the browser forgets it; the server ends it after idle or absolute limits. */
  private static Cookie cookie(RoutingContext ctx, String value) {
    return Cookie.cookie(SessionCallers.SESSION_COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(ctx.request().isSSL());
  }
}
