package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * How an object is answered: one value with its headers, or its siblings as Riak's 300 Multiple
 * Choices, a list of vtags in text/plain or, for a client that accepts it, every sibling as one
 * part of a multipart/mixed body. Both carry the context to write back with.
 */
final class ObjectAnswers {

  private final Base62 ids;

  ObjectAnswers(Base62 ids) {
    this.ids = ids;
  }

  void one(RiakExchange ex, int status, Content content, byte[] context) {
    ObjectHeaders.put(ex.response.headers(), content, ex.route.bucket(), ex.route.style());
    ex.response.putHeader(ObjectHeaders.VCLOCK, ObjectHeaders.vclock(context));
    ex.response.setStatusCode(status).end(Buffer.buffer(content.value()));
  }

  void siblings(RiakExchange ex, FetchResult object) {
    ex.response.putHeader(ObjectHeaders.VCLOCK, ObjectHeaders.vclock(object.context()))
        .putHeader("ETag", "\"" + Base62.md5(object.context()) + "\"")
        .putHeader("Last-Modified", ObjectHeaders.httpDate(
            object.siblings().stream().mapToLong(Content::lastModifiedMillis).max().orElse(0)))
        .setStatusCode(300);
    if (wantsMultipart(ex.header("Accept"))) {
      Multipart body = new Multipart(ids.uniqueId());
      for (Content sibling : object.siblings()) {
        body.part(ObjectHeaders.partHeaders(sibling, ex.route.bucket(), ex.route.style()), Buffer.buffer(sibling.value()));
      }
      ex.response.putHeader("Content-Type", body.contentType()).end(body.finish());
    } else {
      StringBuilder text = new StringBuilder("Siblings:\n");
      object.siblings().forEach(sibling -> text.append(sibling.vtag()).append('\n'));
      ex.response.putHeader("Content-Type", RiakExchange.TEXT).end(text.toString());
    }
  }

  /**
   * Whether the Accept header prefers multipart/mixed to text/plain: it must name multipart/mixed
   * itself (a wildcard gets the text list, as Riak offers text/plain first), with a quality no
   * lower than text/plain's.
   */
  static boolean wantsMultipart(String accept) {
    if (accept == null) {
      return false;
    }
    double multipart = -1;
    double text = -1;
    for (String range : accept.split(",")) {
      String[] fields = range.split(";");
      String media = fields[0].trim().toLowerCase(Locale.ROOT);
      double quality = 1;
      for (int i = 1; i < fields.length; i++) {
        String field = fields[i].trim();
        if (field.startsWith("q=")) {
          try {
            quality = Double.parseDouble(field.substring(2));
          } catch (NumberFormatException e) {
            quality = 0;
          }
        }
      }
      if (media.equals("multipart/mixed")) {
        multipart = quality;
      } else if (media.equals("text/plain")) {
        text = quality;
      }
    }
    return multipart > 0 && multipart >= text;
  }
}
