package dev.canopy.cloud.eventsapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.events.DomainEvent;
import dev.canopy.cloud.events.EventJournal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One open {@code GET /api/events}: sends the log's events after {@code lastSent} that the audience
 * sees (each with its sequence as the SSE id) and sample notices of its instances (at most one per
 * instance per {@link SampleNotices#INTERVAL}), a heartbeat comment every {@link #HEARTBEAT_EVERY},
 * and ends when its session does (checked every {@link #SESSION_CHECK_EVERY}), when the client goes,
 * or when the client reads too slowly (its browser reconnects and resumes from its last id).
 */
final class EventStream implements EventFeed.Listener {

  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(15);
  static final Duration SESSION_CHECK_EVERY = Duration.ofSeconds(5);
  /** Bytes queued for a slow client before the stream is given up. */
  static final int WRITE_QUEUE_BYTES_MAX = 512 * 1024;
  private static final int CATCH_UP_READ = 200;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final Audience audience;
  private final EventFeed feed;
  private final BooleanSupplier sessionLive;
  private final Runnable onClose;
  private final ObjectMapper json;
  private final InstantSource clock;
  private final NoticeThrottle samples = new NoticeThrottle(SampleNotices.INTERVAL);
  private long lastSent;
  private boolean catchingUp;
  private boolean closed;
  private long heartbeatTimer = -1;
  private long sessionTimer = -1;

  /**
   * @param sessionLive blocking: whether the session still stands
   * @param onClose frees the stream's slot; called once
   */
  EventStream(Vertx vertx, HttpServerResponse response, Audience audience, EventFeed feed, long after, BooleanSupplier sessionLive,
      Runnable onClose, ObjectMapper json, InstantSource clock) {
    this.vertx = vertx;
    this.response = response;
    this.audience = audience;
    this.feed = feed;
    this.lastSent = after;
    this.sessionLive = sessionLive;
    this.onClose = onClose;
    this.json = json;
    this.clock = clock;
  }

  void start() {
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .putHeader("x-accel-buffering", "no")
        .setWriteQueueMaxSize(WRITE_QUEUE_BYTES_MAX);
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    write(SseFrames.retry(3_000) + SseFrames.comment("canopy events after " + lastSent));
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_EVERY.toMillis(), id -> write(SseFrames.comment("heartbeat")));
    sessionTimer = vertx.setPeriodic(SESSION_CHECK_EVERY.toMillis(), id -> vertx.executeBlocking(sessionLive::getAsBoolean, false)
        .onComplete(live -> {
          // A grid that cannot answer now is not a logout: only a session known to be gone ends the stream.
          if (live.succeeded() && !live.result()) {
            close();
          }
        }));
    feed.add(this);
    polled();
  }

  @Override
  public void polled() {
    List<DomainEvent> held;
    long after;
    synchronized (this) {
      if (closed || catchingUp) {
        return;
      }
      after = lastSent;
      held = feed.since(after);
      if (held == null) {
        catchingUp = true;
      }
    }
    if (held != null) {
      send(held, held.isEmpty() ? after : held.get(held.size() - 1).seq());
      return;
    }
    EventJournal journal = feed.journal();
    vertx.executeBlocking(() -> journal.read(after, CATCH_UP_READ, audience.accountId(), audience.operator()), false)
        .onComplete(read -> {
          synchronized (this) {
            catchingUp = false;
          }
          if (read.succeeded()) {
            send(read.result().events(), read.result().last());
          }
        });
  }

  @Override
  public void sample(SampleNotices.Notice notice) {
    if (!audience.seesAccount(notice.accountId()) || !samples.admit(notice.instanceId(), clock.instant())) {
      return;
    }
    write(SseFrames.event(null, "sample", text(Map.of("instanceId", notice.instanceId(), "timeMs", notice.timeMs()))));
  }

  private void send(List<DomainEvent> events, long last) {
    StringBuilder frames = new StringBuilder();
    synchronized (this) {
      for (DomainEvent event : events) {
        if (event.seq() > lastSent && audience.sees(event)) {
          frames.append(SseFrames.event(Long.toString(event.seq()), "log", text(EventViews.of(event))));
        }
      }
      lastSent = Math.max(lastSent, last);
    }
    if (!frames.isEmpty()) {
      write(frames.toString());
    }
  }

  private void write(String frames) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    if (response.writeQueueFull()) {
      // Too slow a reader: its browser reconnects with Last-Event-ID and resumes from the log.
      close();
      return;
    }
    response.write(Buffer.buffer(frames));
  }

  void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    feed.remove(this);
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(sessionTimer);
    onClose.run();
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }

  private String text(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("events are maps of plain values", e);
    }
  }
}
