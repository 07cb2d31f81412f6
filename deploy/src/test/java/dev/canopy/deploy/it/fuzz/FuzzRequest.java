package dev.canopy.deploy.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request as it goes on the wire, before signing.
 *
 * @param target the raw request target (path and query), sent and signed byte for byte
 * @param headers header names and values to send and sign (Latin-1: each char is one byte)
 * @param signed false to leave the request unsigned (a target no URI parser accepts cannot be signed)
 */
record FuzzRequest(String method, String target, Map<String, String> headers, byte[] body, boolean signed) {

  FuzzRequest(String method, String target, Map<String, String> headers, byte[] body) {
    this(method, target, headers, body, true);
  }

  /** What a failure report prints: enough to see the request, never megabytes. */
  String describe() {
    String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.ISO_8859_1);
    return method + " " + clip(target, 300) + " headers=" + clip(headers.toString(), 300)
        + " body(" + body.length + " bytes)=" + text.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
  }
}
