package dev.canopy.api.http;

import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds a {@link RequestHead} from a Vert.x request, keeping path and query exactly as sent. */
public final class VertxRequestHeads {

  private VertxRequestHeads() {}

  public static RequestHead of(HttpServerRequest request) {
    String uri = request.uri();
    int question = uri.indexOf('?');
    String rawPath = question < 0 ? uri : uri.substring(0, question);
    String rawQuery = question < 0 ? "" : uri.substring(question + 1);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request
        .headers()
        .forEach(
            entry ->
                headers
                    .computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(entry.getValue()));
    // HTTP/1.0 clients may omit Host; HTTP/2 carries it as :authority, which Vert.x exposes here.
    if (!headers.containsKey("host") && request.authority() != null) {
      headers.put("host", List.of(request.authority().toString()));
    }
    return new RequestHead(request.method().name(), rawPath, rawQuery, headers);
  }
}
