package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.Link;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.riak.LinkWalkSteps.Step;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /buckets/B/keys/K/bucket,tag,keep/...}: follows the links of the start object step
 * by step and answers as Riak does, a multipart/mixed body with one part per kept step, each
 * itself multipart/mixed with one part per object found (its {@code Location}, context and
 * headers). Links to missing objects are skipped; an object with siblings shows its first one,
 * located with {@code ?vtag=} and naming the others in {@code X-Riak-Sibling-VTags}.
 */
final class LinkWalker {

  /** Objects read in one step at most: a walk fans out, and each object is a quorum read. */
  static final int OBJECTS_PER_STEP_MAX = 1000;

  private record Found(Link link, FetchResult object) {}

  private final KvService kv;
  private final Base62 ids;

  LinkWalker(KvService kv, Base62 ids) {
    this.kv = kv;
    this.ids = ids;
  }

  Future<Void> walk(RiakExchange ex) {
    LinkWalkSteps steps = LinkWalkSteps.parse(ex.route.walk());
    Link start = new Link(ex.route.bucket(), ex.route.key(), "");
    return ex.await(kv.get(start.bucket(), start.key(), ReadOptions.DEFAULTS)).compose(object -> {
      if (!object.found()) {
        ex.text(404, ObjectReads.NOT_FOUND);
        return Future.succeededFuture();
      }
      Multipart body = new Multipart(ids.uniqueId());
      return ex.await(follow(List.of(new Found(start, object)), steps.steps(), 0, body, ex)).map(v -> {
        ex.response.putHeader("Content-Type", body.contentType()).setStatusCode(200).end(body.finish());
        return null;
      });
    });
  }

  private CompletableFuture<Void> follow(List<Found> from, List<Step> steps, int at, Multipart body, RiakExchange ex) {
    if (at == steps.size()) {
      return CompletableFuture.completedFuture(null);
    }
    Step step = steps.get(at);
    Set<Link> targets = new LinkedHashSet<>();
    for (Found found : from) {
      for (Content sibling : found.object().siblings()) {
        for (Link link : sibling.links()) {
          if (step.follows(link)) {
            targets.add(new Link(link.bucket(), link.key(), ""));
          }
        }
      }
    }
    if (targets.size() > OBJECTS_PER_STEP_MAX) {
      return CompletableFuture.failedFuture(RiakProblem.badRequest(
          "This link walk would read more than " + OBJECTS_PER_STEP_MAX + " objects in one step\n"));
    }
    List<CompletableFuture<Found>> reads = new ArrayList<>();
    for (Link target : targets) {
      reads.add(kv.get(target.bucket(), target.key(), ReadOptions.DEFAULTS).thenApply(object -> new Found(target, object)));
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      List<Found> reached = reads.stream().map(CompletableFuture::join).filter(found -> found.object().found()).toList();
      if (step.keep()) {
        body.nested(phase(reached, ex));
      }
      return follow(reached, steps, at + 1, body, ex);
    });
  }

  private Multipart phase(List<Found> reached, RiakExchange ex) {
    Multipart phase = new Multipart(ids.uniqueId());
    for (Found found : reached) {
      List<Content> siblings = found.object().siblings();
      Content shown = siblings.get(0);
      StringBuilder headers = new StringBuilder()
          .append(ObjectHeaders.VCLOCK).append(": ").append(ObjectHeaders.vclock(found.object().context())).append("\r\n")
          .append("Location: ").append(ex.route.style().objectPath(found.link().bucket(), found.link().key()));
      if (siblings.size() > 1) {
        headers.append("?vtag=").append(shown.vtag()).append("\r\nX-Riak-Sibling-VTags: ")
            .append(String.join(",", siblings.subList(1, siblings.size()).stream().map(Content::vtag).toList()));
      }
      headers.append("\r\n").append(ObjectHeaders.partHeaders(shown, found.link().bucket(), ex.route.style()));
      phase.part(headers.toString(), Buffer.buffer(shown.value()));
    }
    return phase;
  }
}
