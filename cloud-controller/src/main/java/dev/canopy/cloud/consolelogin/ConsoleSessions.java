package dev.canopy.cloud.consolelogin;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.TableSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Console sessions in grid map {@value #MAP}: any controller answers a session another opened, and
 * a session outlives the controller that opened it. Tokens are 256 random bits; the map keys them
 * by their SHA-256.
 */
public final class ConsoleSessions {

  public static final String MAP = "console-sessions";
  private static final int TOKEN_BYTES = 32;
  /** Expired sessions removed per login at most: sessions are pruned as logins come, never in a burst. */
  private static final int PRUNED_PER_LOGIN_MAX = 100;

  private final Table<ConsoleSession> sessions;
  private final SessionLimits limits;
  private final SecureRandom random;
  private final InstantSource clock;

  /** A session just opened, with the token its cookie carries (never stored). */
  public record Opened(String token, ConsoleSession session) {
    @Override
    public String toString() {
      return "Opened[" + session + "]";
    }
  }

  public ConsoleSessions(Table<ConsoleSession> sessions, SessionLimits limits, SecureRandom random, InstantSource clock) {
    this.sessions = sessions;
    this.limits = limits;
    this.random = random;
    this.clock = clock;
  }

  public static ConsoleSessions onGrid(TableSource grid, SecureRandom random, InstantSource clock) {
    return new ConsoleSessions(grid.map(MAP, ConsoleSession.class), SessionLimits.DEFAULT, random, clock);
  }

  public SessionLimits limits() {
    return limits;
  }

  /** A new session with a new token: a login never reuses a token the browser brought (no fixation). */
  public Opened open(String accountId) {
    Instant now = clock.instant();
    sessions.values(s -> s.expired(now, limits)).stream().limit(PRUNED_PER_LOGIN_MAX).forEach(s -> sessions.remove(s.id()));
    String token = newToken();
    ConsoleSession session = new ConsoleSession(idOf(token), accountId, now, now, newToken());
    sessions.put(session.id(), session);
    return new Opened(token, session);
  }

  /** The live session of {@code token}; empty when unknown, closed or expired (an expired one is removed). */
  public Optional<ConsoleSession> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 128) {
      return Optional.empty();
    }
    String id = idOf(token);
    Optional<ConsoleSession> found = sessions.get(id);
    if (found.isEmpty()) {
      return found;
    }
    ConsoleSession session = found.get();
    Instant now = clock.instant();
    if (session.expired(now, limits)) {
      sessions.remove(id);
      return Optional.empty();
    }
    if (!now.isBefore(session.lastSeenAt().plus(limits.touchEvery()))) {
      ConsoleSession touched = new ConsoleSession(id, session.accountId(), session.createdAt(), now, session.csrfToken());
      sessions.put(id, touched);
      return Optional.of(touched);
    }
    return found;
  }

  /** Logs the session out: its token works nowhere from now on. */
  public void close(String token) {
    if (token != null && !token.isEmpty() && token.length() <= 128) {
      sessions.remove(idOf(token));
    }
  }

  /** Constant-time comparison of a request's CSRF header with the session's token. */
  public static boolean csrfMatches(ConsoleSession session, String presented) {
    return presented != null && MessageDigest.isEqual(
        session.csrfToken().getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
  }

  private String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String idOf(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
