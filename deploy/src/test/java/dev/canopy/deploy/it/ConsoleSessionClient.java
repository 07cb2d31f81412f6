package dev.canopy.deploy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A console session over plain HTTP (java.net.http), as the page makes its calls: the cookie, and the CSRF token on changes. */
final class ConsoleSessionClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String console;
  private String cookie;
  private String csrf;
  private JsonNode who;

  record Answer(int status, JsonNode json, String text) {
    String code() {
      return json == null ? null : json.path("code").asText(null);
    }
  }

  ConsoleSessionClient(String console) {
    this.console = console;
  }

  /** Logs in; throws unless 200. */
  ConsoleSessionClient logIn(String account, String password) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(console + "/api/session"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("account", account).put("password", password).toString()))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("login of " + account + " refused: " + response.statusCode() + " " + response.body());
    }
    cookie = response.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    who = JSON.readTree(response.body());
    csrf = who.path("csrfToken").asText();
    return this;
  }

  String accountId() {
    return who.path("accountId").asText();
  }

  Answer get(String path) throws Exception {
    return call("GET", path, null, true);
  }

  /** A change with the session's CSRF token, or without it when {@code withCsrf} is false. */
  Answer call(String method, String path, String jsonBody, boolean withCsrf) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console + path)).timeout(Duration.ofSeconds(30))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      request.header("content-type", "application/json");
    }
    if (cookie != null) {
      request.header("cookie", cookie);
    }
    if (withCsrf && csrf != null && !method.equals("GET")) {
      request.header("X-CSRF-Token", csrf);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String type = response.headers().firstValue("content-type").orElse("");
    JsonNode json = type.startsWith("application/json") && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
    return new Answer(response.statusCode(), json, response.body());
  }

  /** What {@code GET /api/events} sends within {@code listen}: its status, and the lines of its body. */
  record Stream(int status, String contentType, List<String> lines) {
    /** The JSON of each {@code log} event, in order. */
    List<JsonNode> logEvents() throws Exception {
      List<JsonNode> events = new ArrayList<>();
      boolean log = false;
      for (String line : lines) {
        if (line.equals("event: log")) {
          log = true;
        } else if (line.startsWith("data: ") && log) {
          events.add(JSON.readTree(line.substring(6)));
          log = false;
        } else if (line.isEmpty()) {
          log = false;
        }
      }
      return events;
    }
  }

  /** Opens the event stream (resuming after {@code lastEventId} when not null) and reads it for {@code listen}. */
  Stream stream(String lastEventId, Duration listen) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console + "/api/events")).GET();
    if (cookie != null) {
      request.header("cookie", cookie);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    InputStream body = response.body();
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException closed) {
        // closed by the test when it has listened long enough
      }
    });
    try {
      reading.get(listen.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException listenedEnough) {
      body.close();
    }
    return new Stream(response.statusCode(), response.headers().firstValue("content-type").orElse(""), List.copyOf(lines));
  }
}
