package dev.canopy.storage.kv.riak;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A test's reader of multipart/mixed bodies (RFC 2046), independent of the server's writer. */
record MultipartBody(List<Part> parts) {

  record Part(Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** This part's body read as multipart, for a part that is itself multipart/mixed. */
    MultipartBody nested() {
      return parse(header("Content-Type"), body);
    }
  }

  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String trimmed = param.trim();
      if (trimmed.startsWith("boundary=")) {
        return trimmed.substring("boundary=".length()).replace("\"", "");
      }
    }
    throw new AssertionError("no boundary in " + contentType);
  }

  static MultipartBody parse(String contentType, byte[] body) {
    return parse(contentType, new String(body, StandardCharsets.ISO_8859_1));
  }

  static MultipartBody parse(String contentType, String body) {
    if (!contentType.startsWith("multipart/mixed")) {
      throw new AssertionError("not multipart/mixed: " + contentType);
    }
    String delimiter = "\r\n--" + boundary(contentType);
    // The first delimiter may open the body without a CRLF before it.
    String[] pieces = ("\r\n" + body).split(java.util.regex.Pattern.quote(delimiter), -1);
    List<Part> parts = new ArrayList<>();
    boolean closed = false;
    for (int i = 1; i < pieces.length; i++) {
      String piece = pieces[i];
      if (piece.startsWith("--")) {
        closed = true;
        break;
      }
      if (!piece.startsWith("\r\n")) {
        throw new AssertionError("a boundary line must end with CRLF: " + piece);
      }
      String rest = piece.substring(2);
      int blank = rest.indexOf("\r\n\r\n");
      String head = blank < 0 ? rest : rest.substring(0, blank);
      String content = blank < 0 ? "" : rest.substring(blank + 4);
      Map<String, String> headers = new TreeMap<>();
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      parts.add(new Part(headers, content));
    }
    if (!closed) {
      throw new AssertionError("no closing boundary in " + body);
    }
    return new MultipartBody(List.copyOf(parts));
  }
}
