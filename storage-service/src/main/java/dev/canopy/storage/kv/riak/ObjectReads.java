package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.ReadOptions;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * {@code GET} and {@code HEAD /buckets/B/keys/K}: the value with its headers, Riak's 404 for a
 * missing key (with the tombstone's context when one was found), siblings as a 300, {@code
 * ?vtag=} for one sibling, and the conditional {@code If-None-Match} / {@code If-Modified-Since}.
 */
final class ObjectReads {

  static final String NOT_FOUND = "not found\n";

  private final KvService kv;
  private final ObjectAnswers answers;

  ObjectReads(KvService kv, ObjectAnswers answers) {
    this.kv = kv;
    this.answers = answers;
  }

  Future<Void> get(RiakExchange ex) {
    ReadOptions options = QuorumParams.read(ex);
    return ex.await(kv.get(ex.route.bucket(), ex.route.key(), options)).map(object -> {
      answer(ex, object);
      return null;
    });
  }

  private void answer(RiakExchange ex, FetchResult object) {
    if (!object.found()) {
      notFound(ex, object);
      return;
    }
    String vtag = ex.param("vtag");
    Optional<Content> chosen = vtag != null
        ? object.siblings().stream().filter(sibling -> sibling.vtag().equals(vtag)).findFirst()
        : object.hasSiblings() ? Optional.empty() : Optional.of(object.siblings().get(0));
    if (chosen.isPresent()) {
      if (notModified(ex, chosen.get())) {
        ex.response.putHeader("ETag", "\"" + chosen.get().vtag() + "\"")
            .putHeader("Last-Modified", ObjectHeaders.httpDate(chosen.get().lastModifiedMillis()))
            .setStatusCode(304).end();
      } else {
        answers.one(ex, 200, chosen.get(), object.context());
      }
    } else if (vtag != null) {
      ex.text(404, NOT_FOUND);
    } else {
      answers.siblings(ex, object);
    }
  }

  /** Riak's 404; a key whose replicas hold a tombstone also gets its context, so a write can descend from it. */
  static void notFound(RiakExchange ex, FetchResult object) {
    if (object.context().length > 0) {
      ex.response.putHeader(ObjectHeaders.VCLOCK, ObjectHeaders.vclock(object.context()))
          .putHeader(ObjectHeaders.DELETED, "true");
    }
    ex.text(404, NOT_FOUND);
  }

  /** As webmachine decides: a matching If-None-Match wins, else If-Modified-Since at second precision. */
  private static boolean notModified(RiakExchange ex, Content content) {
    String noneMatch = ex.header("If-None-Match");
    if (noneMatch != null) {
      for (String tag : noneMatch.split(",")) {
        String bare = tag.trim().replaceFirst("^W/", "").replace("\"", "");
        if (bare.equals("*") || bare.equals(content.vtag())) {
          return true;
        }
      }
      return false;
    }
    return ObjectHeaders.parseHttpDateSeconds(ex.header("If-Modified-Since"))
        .map(since -> content.lastModifiedMillis() / 1000 <= since)
        .orElse(false);
  }
}
