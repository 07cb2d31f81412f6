package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.DeleteOutcome;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.s3.xml.SafeXml;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.w3c.dom.Element;

/** DeleteObjects ({@code POST ?delete}): up to 1000 keys, the CLI's {@code s3 rm --recursive}. */
final class DeleteObjectsHandler {

  private static final int KEYS_MAX = 1000;
  private static final int BODY_BYTES_MAX = 2 * 1024 * 1024;

  private final ObjectBackend backend;
  private final AccessControl access;
  private final BucketConfigs configs;

  DeleteObjectsHandler(ObjectBackend backend, AccessControl access, BucketConfigs configs) {
    this.backend = backend;
    this.access = access;
    this.configs = configs;
  }

  Future<Void> deleteObjects(S3Exchange ex) {
    BodyIntegrity.require(ex);
    return ex.readSmallBody(BODY_BYTES_MAX).compose(body -> {
      Request request = parse(body);
      return ex.blocking(() -> deleteAllowed(ex, request))
          .map(outcomes -> {
            ex.sendXml(200, S3Xml.deleteResult(outcomes, request.quiet(), ex.requestId));
            return null;
          });
    });
  }

  /** Deletes the keys the requester may delete; the others get AccessDenied, in request order. */
  private List<DeleteOutcome> deleteAllowed(S3Exchange ex, Request request) {
    List<String> keys = request.keys();
    Versioning mode = VersioningHandlers.mode(configs, ex.bucket());
    if (mode != Versioning.UNVERSIONED || request.versionIds().stream().anyMatch(java.util.Objects::nonNull)) {
      return VersionedDeletes.deleteAll(ex, backend.versioned(mode), access, request);
    }
    boolean[] allowed = new boolean[keys.size()];
    List<String> deletable = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      allowed[i] = access.allowsKey(ex, ex.bucket(), keys.get(i));
      if (allowed[i]) {
        deletable.add(keys.get(i));
      }
    }
    // One outcome per deletable key, in their order.
    Iterator<DeleteOutcome> deleted =
        (deletable.isEmpty() ? List.<DeleteOutcome>of() : backend.deleteAll(ex.bucket().id(), deletable)).iterator();
    List<DeleteOutcome> outcomes = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      outcomes.add(allowed[i] ? deleted.next() : new DeleteOutcome(keys.get(i), S3Error.ACCESS_DENIED.exception()));
    }
    return outcomes;
  }

  /** @param versionIds per key, the {@code VersionId} it names, else null */
  record Request(List<String> keys, List<String> versionIds, boolean quiet) {}

  static Request parse(byte[] body) {
    Element root = S3Xml.requestRoot(body, "Delete");
    List<Element> objects = SafeXml.children(root, "Object");
    if (objects.isEmpty() || objects.size() > KEYS_MAX) {
      throw StorageErrors.malformedXml();
    }
    List<String> keys = new ArrayList<>(objects.size());
    List<String> versionIds = new ArrayList<>(objects.size());
    for (Element object : objects) {
      versionIds.add(SafeXml.childText(object, "VersionId").map(String::trim).orElse(null));
      String key = SafeXml.childText(object, "Key").orElseThrow(StorageErrors::malformedXml);
      if (key.isEmpty()) {
        throw StorageErrors.malformedXml();
      }
      keys.add(key);
    }
    boolean quiet = SafeXml.childText(root, "Quiet").map(q -> q.trim().equalsIgnoreCase("true")).orElse(false);
    return new Request(keys, versionIds, quiet);
  }
}
