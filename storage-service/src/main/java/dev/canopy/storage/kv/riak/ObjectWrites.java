package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.Link;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT}/{@code POST /buckets/B/keys/K} (store), {@code POST /buckets/B/keys} (store under
 * a key chosen here: 201 with its {@code Location}) and {@code DELETE}. A write carries the
 * context from {@code X-Riak-Vclock}; with {@code returnbody=true} it answers the object as
 * stored: 200, or 300 when siblings came back.
 */
final class ObjectWrites {

  /**
   * The largest value accepted, in bytes. Riak warns above 5 MB ({@code warning_object_size}) and
   * says objects that big slow the whole cluster; here the value is held in memory while it is
   * written to N replicas over the peer transport, so the warning level is the limit.
   */
  static final int VALUE_BYTES_MAX = 5 * 1024 * 1024;

  private final KvService kv;
  private final ObjectAnswers answers;
  private final Base62 ids;

  ObjectWrites(KvService kv, ObjectAnswers answers, Base62 ids) {
    this.kv = kv;
    this.answers = answers;
    this.ids = ids;
  }

  Future<Void> put(RiakExchange ex) {
    return store(ex, ex.route.key(), false);
  }

  Future<Void> create(RiakExchange ex) {
    return store(ex, ids.uniqueId(), true);
  }

  private Future<Void> store(RiakExchange ex, String key, boolean created) {
    String contentType = contentType(ex);
    WriteOptions options = QuorumParams.write(ex);
    List<Link> links = ObjectHeaders.parseLinks(ex.request.headers().getAll("Link"), ex.route.bucket());
    Map<String, String> meta = ObjectHeaders.meta(ex.request.headers());
    byte[] context = ObjectHeaders.context(ex.header(ObjectHeaders.VCLOCK));
    return ex.body(VALUE_BYTES_MAX)
        .compose(body -> ex.await(kv.put(ex.route.bucket(), key,
            context, new Content(body.getBytes(), contentType, meta, links, "", 0, false), options)))
        .map(stored -> {
          if (created) {
            ex.response.putHeader("Location", ex.route.style().objectPath(ex.route.bucket(), key));
          }
          answer(ex, stored, options.returnBody(), created);
          return null;
        });
  }

  private void answer(RiakExchange ex, FetchResult stored, boolean returnBody, boolean created) {
    if (!returnBody || !stored.found()) {
      if (created) {
        ex.response.setStatusCode(201).end();
      } else {
        ex.noContent();
      }
    } else if (stored.hasSiblings()) {
      answers.siblings(ex, stored);
    } else {
      answers.one(ex, created ? 201 : 200, stored.siblings().get(0), stored.context());
    }
  }

  /** Riak requires a Content-Type of the form type/subtype on every write, and keeps it whole. */
  private static String contentType(RiakExchange ex) {
    String header = ex.header("Content-Type");
    if (header == null || header.isBlank()) {
      throw RiakProblem.badRequest("Missing Content-Type request header");
    }
    String media = header.split(";")[0].trim();
    if (media.split("/", -1).length != 2 || media.startsWith("/") || media.endsWith("/")) {
      throw new RiakProblem(415, "\"" + media + "\" is not a valid media type for the Content-type header.\n");
    }
    return header.trim();
  }

  /**
   * Deletes after reading the key, as Riak does: a missing key is a 404; the tombstone descends
   * from the client's X-Riak-Vclock if it sent one, else from the context just read.
   */
  Future<Void> delete(RiakExchange ex) {
    ReadOptions read = QuorumParams.read(ex);
    WriteOptions write = QuorumParams.write(ex);
    byte[] sent = ObjectHeaders.context(ex.header(ObjectHeaders.VCLOCK));
    return ex.await(kv.get(ex.route.bucket(), ex.route.key(), read)).compose(object -> {
      if (!object.found()) {
        ObjectReads.notFound(ex, object);
        return Future.succeededFuture();
      }
      byte[] context = sent.length > 0 ? sent : object.context();
      return ex.await(kv.delete(ex.route.bucket(), ex.route.key(), context, write)).map(v -> {
        ex.noContent();
        return null;
      });
    });
  }
}
