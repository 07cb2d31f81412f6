package dev.canopy.cloud.consoleapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Content-Disposition: attachment} header that makes a browser save an answer under a
 * name (RFC 6266): a plain ASCII {@code filename} for every browser, and {@code filename*} in UTF-8
 * for the name as it is. Nothing of the name can end the header or add a parameter.
 */
public final class ContentDisposition {

  private ContentDisposition() {}

  /** @param name a file name (no folder); an object key's last segment, a report's name */
  public static String attachment(String name) {
    String plain = name.replaceAll("[^A-Za-z0-9._ ()-]", "_");
    if (plain.isBlank()) {
      plain = "download";
    }
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    return "attachment; filename=\"" + plain + "\"; filename*=UTF-8''" + encoded;
  }
}
