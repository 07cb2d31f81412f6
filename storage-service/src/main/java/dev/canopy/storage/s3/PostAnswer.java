package dev.canopy.storage.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a successful POST Object, as the form asked: a 303 to success_action_redirect
 * (with bucket, key and ETag in its query), else success_action_status: 201 with a PostResponse
 * document, 200 or (S3's default) 204 empty.
 */
final class PostAnswer {

  private PostAnswer() {}

  static void send(S3Exchange ex, PostForm form, String bucket, String key, String etag) {
    String quotedEtag = S3Xml.quote(etag);
    String location = objectUrl(ex, bucket, key);
    ex.response.putHeader("ETag", quotedEtag);
    String redirect = form.redirect();
    if (redirect != null && !redirect.isBlank()) {
      String separator = redirect.contains("?") ? "&" : "?";
      ex.response.putHeader("Location", redirect + separator + "bucket=" + encode(bucket) + "&key=" + encode(key)
          + "&etag=" + encode(quotedEtag));
      ex.sendEmpty(303);
      return;
    }
    ex.response.putHeader("Location", location);
    int status = form.successStatus();
    if (status == 201) {
      ex.sendXml(201, S3Xml.document("PostResponse")
          .element("Location", location).element("Bucket", bucket).element("Key", key).element("ETag", quotedEtag)
          .end().toString());
    } else {
      ex.sendEmpty(status);
    }
  }

  /** The new object's URL, in the style (path or virtual host) the form was posted in. */
  private static String objectUrl(S3Exchange ex, String bucket, String key) {
    String scheme = ex.request.isSSL() ? "https" : "http";
    String host = ex.header("Host") == null ? "localhost" : ex.header("Host");
    String rawPath = ex.head.rawPath();
    boolean pathStyle = rawPath.equals("/" + bucket) || rawPath.startsWith("/" + bucket + "/");
    return scheme + "://" + host + (pathStyle ? "/" + bucket : "") + "/" + encode(key).replace("%2F", "/");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
