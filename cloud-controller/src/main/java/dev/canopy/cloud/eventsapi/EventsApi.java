package dev.canopy.cloud.eventsapi;

import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.consolelogin.ConsoleLogin;
import dev.canopy.cloud.events.EventJournal;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The event log on the console port. {@code GET /api/events/log?after=SEQ&limit=N&type=T}: a page of
 * the log (a console session, or SigV4 with service {@code canopy}); {@code GET /api/events}: the log's
 * new events and sample notices as Server-Sent Events, for a console session only (a browser's
 * EventSource sends the cookie and nothing else). The operator sees every event, a tenant its own
 * account's and its instances'.
 */
public final class EventsApi implements ConsoleRoutes {

  /** Streams one session may hold open at once (a few browser tabs). */
  public static final int STREAMS_PER_SESSION_MAX = 4;
  /** Streams one controller holds open at once: each is a connection, two timers and a little memory. */
  public static final int STREAMS_PER_CONTROLLER_MAX = 512;
  private static final int BODY_BYTES_MAX = 16 * 1024;
  private static final int LIMIT_DEFAULT = 100;
  private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");
  private static final Pattern TYPE = Pattern.compile("[a-z]{1,20}(\\.[a-z]{1,20})?");

  private final Vertx vertx;
  private final SessionCallers sessions;
  private final EventFeed feed;
  private final SignedCalls calls;
  private final InstantSource clock;
  private final StreamSlots slots = new StreamSlots(STREAMS_PER_SESSION_MAX, STREAMS_PER_CONTROLLER_MAX);

  public EventsApi(Vertx vertx, SigV4Verifier verifier, SessionCallers sessions, EventFeed feed, InstantSource clock) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.feed = feed;
    this.clock = clock;
    this.calls = new SignedCalls(vertx, verifier, LoggerFactory.getLogger(EventsApi.class)).withSessions(sessions);
  }

  @Override
  public void mount(Router router) {
    router.get("/api/events/log").handler(calls.refusingAnonymous());
    router.get("/api/events/log").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    router.get("/api/events/log").handler(ctx -> calls.call(ctx, 200, caller -> page(caller, ctx)));
    router.get("/api/events").handler(this::stream);
  }

  private Map<String, Object> page(Principal caller, RoutingContext ctx) {
    long after = sequence(ctx.queryParams().get("after"), "after").orElse(0L);
    int limit = limit(ctx.queryParams().get("limit"));
    String type = ctx.queryParams().get("type");
    if (type != null && !TYPE.matcher(type).matches()) {
      throw ApiError.invalidParameter("type must be an event type such as instance.state, or its first part such as instance");
    }
    Audience audience = new Audience(caller.accountId());
    EventJournal.Page page = feed.journal().read(after, limit, audience.accountId(), audience.operator());
    List<Map<String, Object>> events = page.events().stream()
        .filter(e -> type == null || e.type().equals(type) || e.type().startsWith(type + "."))
        .map(EventViews::of).toList();
    return Map.of("events", events, "last", page.last());
  }

  private void stream(RoutingContext ctx) {
    String token = SessionCallers.tokenOf(ctx.request());
    if (token == null) {
      calls.error(ctx, 401, "NoSession", "the event stream needs a console session");
      return;
    }
    Optional<Long> resumeAfter;
    try {
      String lastEventId = ctx.request().getHeader("last-event-id");
      resumeAfter = sequence(lastEventId != null ? lastEventId : ctx.queryParams().get("after"), "Last-Event-ID");
    } catch (ApiError e) {
      calls.fail(ctx, e);
      return;
    }
    vertx.executeBlocking(() -> {
          ConsoleLogin.Caller caller = sessions.login().caller(token)
              .orElseThrow(() -> new ApiError(401, "NoSession", "the console session has expired or was logged out: log in again"));
          if (!slots.take(caller.session().id())) {
            throw new ApiError(429, "TooManyStreams", "at most " + STREAMS_PER_SESSION_MAX + " event streams per session and "
                + STREAMS_PER_CONTROLLER_MAX + " per controller: close another first");
          }
          try {
            long after = resumeAfter.isPresent() ? resumeAfter.get() : feed.journal().lastSeq();
            return new Opened(caller, after);
          } catch (RuntimeException e) {
            slots.give(caller.session().id());
            throw e;
          }
        }, false)
        .onSuccess(opened -> {
          String sessionId = opened.caller().session().id();
          new EventStream(vertx, ctx.response(), new Audience(opened.caller().accountId()), feed, opened.after(),
              () -> sessions.login().caller(token).isPresent(), () -> slots.give(sessionId), calls.json(), clock).start();
        })
        .onFailure(failure -> calls.fail(ctx, failure));
  }

  private record Opened(ConsoleLogin.Caller caller, long after) {}

  private static Optional<Long> sequence(String value, String name) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (!SEQUENCE.matcher(value).matches()) {
      throw ApiError.invalidParameter(name + " must be an event sequence number, got " + QueryValues.shown(value));
    }
    return Optional.of(Long.parseLong(value));
  }

  private static int limit(String value) {
    if (value == null) {
      return LIMIT_DEFAULT;
    }
    if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > EventJournal.READ_MAX) {
      throw ApiError.invalidParameter("limit must be 1.." + EventJournal.READ_MAX + ", got " + QueryValues.shown(value));
    }
    return Integer.parseInt(value);
  }

  /** Streams open on this controller now. */
  public int openStreams() {
    return slots.open();
  }

}
