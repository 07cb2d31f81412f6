package dev.canopy.storage.kv.riak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.kv.KvService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /buckets/B/keys?keys=true} (one JSON object {@code {"keys":[...]}}) and {@code
 * ?keys=stream} (chunked: one {@code {"keys":[...]}} object per page as the replicas are read, then
 * {@code {"keys":[]}}), as Riak answers; without {@code keys} the answer is {@code {}}. Like
 * Riak's, listing keys reads every replica of the bucket: not for production request paths.
 */
final class KeyListing {

  /** Keys in one {@code keys=true} answer at most: it is built in memory; beyond, a client streams. */
  static final int KEYS_IN_ONE_ANSWER_MAX = 1_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KvService kv;

  KeyListing(KvService kv) {
    this.kv = kv;
  }

  Future<Void> list(RiakExchange ex) {
    String keys = ex.param("keys");
    if ("stream".equals(keys)) {
      return stream(ex);
    }
    if (!"true".equals(keys)) {
      ex.json(200, "{}");
      return Future.succeededFuture();
    }
    List<String> all = new ArrayList<>();
    AtomicBoolean overflow = new AtomicBoolean();
    return ex.await(kv.listKeys(ex.route.bucket(), page -> {
      synchronized (all) {
        if (all.size() + page.size() > KEYS_IN_ONE_ANSWER_MAX) {
          overflow.set(true);
        } else {
          all.addAll(page);
        }
      }
    })).map(v -> {
      if (overflow.get()) {
        throw new RiakProblem(413, "The bucket has more than " + KEYS_IN_ONE_ANSWER_MAX
            + " keys: list them with keys=stream\n");
      }
      synchronized (all) {
        ex.json(200, keysObject(all));
      }
      return null;
    });
  }

  /** Pages are written as they come (on the event loop, in their order); the empty page ends the stream. */
  private Future<Void> stream(RiakExchange ex) {
    ex.response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
    return ex.await(kv.listKeys(ex.route.bucket(), page -> {
      String chunk = keysObject(page);
      ex.onLoop(() -> {
        if (!ex.response.ended() && !ex.response.closed()) {
          ex.response.write(chunk);
        }
      });
    })).map(v -> {
      // Queued behind the pages: when the listing ends before this callback is attached, it runs
      // at once on the loop, ahead of page writes still waiting in the loop's queue.
      ex.onLoop(() -> {
        if (!ex.response.ended() && !ex.response.closed()) {
          ex.response.end(keysObject(List.of()));
        }
      });
      return null;
    });
  }

  private static String keysObject(List<String> keys) {
    try {
      return JSON.writeValueAsString(Map.of("keys", keys));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings is always JSON", e);
    }
  }
}
