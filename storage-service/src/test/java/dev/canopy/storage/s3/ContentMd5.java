package dev.canopy.storage.s3;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Raw signed requests with a body and its Content-MD5, as the operations that require one get them. */
final class ContentMd5 {

  private ContentMd5() {}

  static HttpResponse<String> send(SignedHttp http, String method, String pathAndQuery, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    return http.send(method, pathAndQuery, bytes, "Content-MD5", md5);
  }
}
