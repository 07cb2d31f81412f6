package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.lifecycle.LifecycleConfiguration;
import io.vertx.core.Future;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A bucket's lifecycle rules: Get, Put and DeleteBucketLifecycle ({@code ?lifecycle}), kept as the
 * bucket's {@value LifecycleConfiguration#DOCUMENT} document in canonical JSON; storage nodes apply
 * them in the background ({@link dev.canopy.storage.lifecycle.LifecycleExecutor}). A bucket
 * without rules answers 404 NoSuchLifecycleConfiguration.
 */
final class LifecycleHandlers {

  private static final int RULE_ID_BYTES = 24;

  private final BucketConfigs configs;
  private final RandomGenerator random;

  /** @param random draws the IDs of rules sent without one, as AWS assigns them */
  LifecycleHandlers(BucketConfigs configs, RandomGenerator random) {
    this.configs = configs;
    this.random = random;
  }

  Future<Void> get(S3Exchange ex) {
    return ex.blocking(() -> configs.get(ex.bucket(), LifecycleConfiguration.DOCUMENT)).map(document -> {
      LifecycleConfiguration configuration = LifecycleConfiguration.fromJson(document.orElseThrow(
          () -> new AwsException(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")));
      ex.sendXml(200, LifecycleResponseXml.render(configuration));
      return null;
    });
  }

  Future<Void> put(S3Exchange ex) {
    BodyIntegrity.require(ex);
    return ex.readSmallBody(LifecycleRequestXml.BODY_BYTES_MAX).compose(body -> {
      LifecycleConfiguration configuration = LifecycleRequestXml.parse(body, this::newRuleId);
      return store(ex, configuration.toJson(), 200);
    });
  }

  Future<Void> delete(S3Exchange ex) {
    return store(ex, null, 204);
  }

  private Future<Void> store(S3Exchange ex, String document, int status) {
    return ex.blocking(() -> {
      configs.set(ex.bucket(), LifecycleConfiguration.DOCUMENT, document);
      return null;
    }).map(v -> {
      ex.sendEmpty(status);
      return null;
    });
  }

  private String newRuleId() {
    byte[] id = new byte[RULE_ID_BYTES];
    synchronized (random) {
      random.nextBytes(id);
    }
    return HexFormat.of().formatHex(id);
  }
}
