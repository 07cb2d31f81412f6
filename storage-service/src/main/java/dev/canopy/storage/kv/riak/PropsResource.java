package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.KvService;
import io.vertx.core.Future;

/**
 * {@code GET}, {@code PUT} and {@code DELETE /buckets/B/props}: read, change (only what the
 * body names; JSON only, 415 otherwise) and reset to the defaults; changes answer 204.
 */
final class PropsResource {

  /** A props body is a few hundred bytes; anything near this is not one. */
  static final int BODY_BYTES_MAX = 64 * 1024;

  private final KvService kv;

  PropsResource(KvService kv) {
    this.kv = kv;
  }

  Future<Void> get(RiakExchange ex) {
    ex.json(200, BucketPropsJson.render(ex.route.bucket(), kv.props(ex.route.bucket())));
    return Future.succeededFuture();
  }

  Future<Void> put(RiakExchange ex) {
    String type = ex.header("Content-Type");
    if (type == null || !type.split(";")[0].trim().equalsIgnoreCase("application/json")) {
      throw new RiakProblem(415, "bucket properties must be sent as application/json\n");
    }
    return ex.body(BODY_BYTES_MAX)
        .compose(body -> ex.await(kv.setProps(ex.route.bucket(),
            BucketPropsJson.apply(body.getBytes(), kv.props(ex.route.bucket())))))
        .map(v -> {
          ex.noContent();
          return null;
        });
  }

  Future<Void> reset(RiakExchange ex) {
    return ex.await(kv.resetProps(ex.route.bucket())).map(v -> {
      ex.noContent();
      return null;
    });
  }
}
