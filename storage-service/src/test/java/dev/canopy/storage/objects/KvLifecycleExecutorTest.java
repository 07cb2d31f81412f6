package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.lifecycle.LifecycleConfiguration;
import dev.canopy.storage.lifecycle.LifecycleExecutor;
import dev.canopy.storage.lifecycle.LifecycleFilter;
import dev.canopy.storage.lifecycle.LifecycleReport;
import dev.canopy.storage.lifecycle.LifecycleRule;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle executor on one real KV node, its clock (and the objects' Last-Modified) moved by hand. */
class KvLifecycleExecutorTest {

  private static final String BUCKET = "bucket-id-1";

  private final KvCluster cluster = new KvCluster(1);
  private final KvObjectBackend backend =
      new KvObjectBackend(cluster.first(), cluster.time, new SplittableRandom(5), ObjectStoreSettings.DEFAULTS);

  @AfterEach
  void close() {
    cluster.close();
  }

  private ObjectInfo put(String key, String body, Map<String, String> tags) throws Exception {
    byte[] bytes = body.getBytes();
    var blob = backend.newBlob();
    blob.write(ByteBuffer.wrap(bytes));
    return backend.commitObject(BUCKET, key, blob, MessageDigest.getInstance("MD5").digest(bytes),
        ObjectMetadata.empty().withTags(tags), Map.of());
  }

  private void rules(LifecycleRule... rules) {
    backend.setBucketConfig(BUCKET, LifecycleConfiguration.DOCUMENT, new LifecycleConfiguration(List.of(rules)).toJson());
  }

  private static LifecycleRule expireAfter30Days(String prefix, Map<String, String> tags) {
    return new LifecycleRule("expire", true,
        new LifecycleFilter(LifecycleFilter.Form.AND, prefix, tags, null, null), 30, null, null, null, null, null);
  }

  @Test
  void expiresMatchingObjectsAndAbortsOldUploadsAt31DaysOnce() throws Exception {
    put("logs/a", "a", Map.of());
    put("logs/b", "b", Map.of());
    put("keep/c", "c", Map.of());
    put("other", "d", Map.of());
    backend.createUpload(BUCKET, "logs/upload", ObjectMetadata.empty());
    rules(expireAfter30Days("logs/", Map.of()),
        new LifecycleRule("abort", true, new LifecycleFilter(LifecycleFilter.Form.FILTER, "", Map.of(), null, null),
            null, null, null, 7, null, null));
    backend.setBucketConfig("another-bucket", "tagging", "<Tagging/>");
    LifecycleExecutor executor = new LifecycleExecutor(backend, cluster.time);

    cluster.time.advance(Duration.ofDays(29));
    assertThat(executor.runOnce()).isEqualTo(new LifecycleReport(1, 0, 1, 0, 0));
    assertThat(backend.head(BUCKET, "logs/a")).isPresent();
    assertThat(backend.listUploads(BUCKET, "", "", "", 10).uploads()).isEmpty();

    cluster.time.advance(Duration.ofDays(2));
    put("logs/fresh", "new", Map.of());
    assertThat(executor.runOnce()).isEqualTo(new LifecycleReport(1, 2, 0, 0, 0));
    assertThat(backend.head(BUCKET, "logs/a")).isEmpty();
    assertThat(backend.head(BUCKET, "logs/b")).isEmpty();
    assertThat(backend.head(BUCKET, "logs/fresh")).isPresent();
    assertThat(backend.head(BUCKET, "keep/c")).isPresent();
    assertThat(backend.head(BUCKET, "other")).isPresent();
    // A second run, or another node's: nothing left to do.
    assertThat(new LifecycleExecutor(backend, cluster.time).runOnce()).isEqualTo(new LifecycleReport(1, 0, 0, 0, 0));
  }

  @Test
  void twoNodesRunningAtOnceExpireExactlyTheDueObjects() throws Exception {
    for (int i = 0; i < 60; i++) {
      put((i % 2 == 0 ? "logs/" : "keep/") + i, "x" + i, Map.of());
    }
    rules(expireAfter30Days("logs/", Map.of()));
    cluster.time.advance(Duration.ofDays(31));
    ExecutorService nodes = Executors.newFixedThreadPool(2);
    try {
      List<Future<LifecycleReport>> runs = nodes.invokeAll(List.of(
          () -> new LifecycleExecutor(backend, cluster.time).runOnce(),
          () -> new LifecycleExecutor(backend, cluster.time).runOnce()));
      for (Future<LifecycleReport> run : runs) {
        assertThat(run.get().bucketsFailed()).isZero();
      }
    } finally {
      nodes.shutdownNow();
    }
    var left = backend.list(BUCKET, new dev.canopy.storage.backend.ListQuery("", "", "", 1000)).contents();
    assertThat(left).hasSize(30).allSatisfy(object -> assertThat(object.key()).startsWith("keep/"));
  }

  @Test
  void onlyObjectsWithTheRulesTagsExpire() throws Exception {
    put("a", "a", Map.of("class", "temp", "team", "x"));
    put("b", "b", Map.of("class", "keep"));
    put("c", "c", Map.of());
    rules(expireAfter30Days(null, Map.of("class", "temp")));
    cluster.time.advance(Duration.ofDays(31));
    assertThat(new LifecycleExecutor(backend, cluster.time).runOnce().objectsExpired()).isEqualTo(1);
    assertThat(backend.head(BUCKET, "a")).isEmpty();
    assertThat(backend.head(BUCKET, "b")).isPresent();
    assertThat(backend.head(BUCKET, "c")).isPresent();
  }

  @Test
  void anObjectOverwrittenAfterItWasListedIsKept() throws Exception {
    put("logs/a", "old", Map.of());
    rules(expireAfter30Days("logs/", Map.of()));
    cluster.time.advance(Duration.ofDays(31));
    LifecycleExecutor executor = new LifecycleExecutor(
        interceptingDeleteIf((bucket, key) -> put(key, "new")), cluster.time);
    assertThat(executor.runOnce().objectsExpired()).isZero();
    assertThat(backend.head(BUCKET, "logs/a")).map(ObjectInfo::size).contains(3L);
    assertThat(backend.head(BUCKET, "logs/a")).map(info -> info.lastModified()).contains(cluster.time.instant());
  }

  @Test
  void anObjectRetaggedAfterItWasListedIsKept() throws Exception {
    put("a", "a", Map.of("class", "temp"));
    rules(expireAfter30Days(null, Map.of("class", "temp")));
    cluster.time.advance(Duration.ofDays(31));
    LifecycleExecutor executor = new LifecycleExecutor(interceptingDeleteIf((bucket, key) ->
        backend.updateMetadata(bucket, key, metadata -> metadata.withTags(Map.of("class", "keep")))), cluster.time);
    assertThat(executor.runOnce().objectsExpired()).isZero();
    assertThat(backend.head(BUCKET, "a")).map(info -> info.metadata().tags()).contains(Map.of("class", "keep"));
  }

  private void put(String key, String body) {
    try {
      put(key, body, Map.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The backend, with {@code meanwhile} run between the executor's listing and its conditional delete. */
  private ObjectBackend interceptingDeleteIf(BiConsumer<String, String> meanwhile) {
    return (ObjectBackend) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ObjectBackend.class},
        (proxy, method, args) -> {
          if (method.getName().equals("deleteIf")) {
            meanwhile.accept((String) args[0], (String) args[1]);
          }
          try {
            return method.invoke(backend, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
