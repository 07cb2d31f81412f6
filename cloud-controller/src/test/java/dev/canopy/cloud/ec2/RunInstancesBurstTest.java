package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.identity.NewAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** 200 concurrent RunInstances against 3 small nodes: no node over-committed, the rest refused. */
class RunInstancesBurstTest {

  @Test
  void burstNeverOverCommitsAndOverflowIsInsufficientCapacity(@TempDir Path dir) throws Exception {
    ComputeFixture[] compute = new ComputeFixture[1];
    try (Ec2TestCloud cloud = Ec2TestCloud.start(dir, parts -> {
      compute[0] = new ComputeFixture(parts.grid()::map, parts.clock(), 5);
      return InstanceActions.of(compute[0].instances, "t3.micro");
    })) {
      // t3.micro is 2 vCPU, 1024 MiB, 8 GiB: these fit 4 + 3 + 2 (memory binds the second, disk the third).
      List<NodeInfo> nodes = List.of(compute[0].addNode("node-1", 8, 8192, 100), compute[0].addNode("node-2", 16, 3072, 100),
          compute[0].addNode("node-3", 16, 16384, 20));
      NewAccount account = cloud.newAccount("burst");
      // Without retries: InsufficientInstanceCapacity is a 5xx the SDK would otherwise retry.
      try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(Ec2TestCloud.REGION))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
              account.credential().accessKeyId(), account.credential().secretAccessKey())))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build()) {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger launched = new AtomicInteger();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        List<Future<?>> calls = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
          calls.add(pool.submit(() -> {
            try {
              launched.addAndGet(ec2.runInstances(r -> r.imageId(compute[0].systemImage.imageId()).minCount(1).maxCount(1)).instances().size());
            } catch (AwsServiceException e) {
              refusals.merge(e.awsErrorDetails().errorCode(), 1, Integer::sum);
            }
          }));
        }
        for (Future<?> call : calls) {
          call.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(launched.get()).isEqualTo(9);
        assertThat(refusals).containsExactly(Map.entry("InsufficientInstanceCapacity", 191));
        for (NodeInfo node : nodes) {
          assertThat(node.total().fits(compute[0].ledger.used(node.nodeId()))).as(node.nodeId() + " over-committed").isTrue();
        }
        var perNode = ec2.describeInstancesPaginator(r -> { }).reservations().stream()
            .flatMap(r -> r.instances().stream()).toList();
        assertThat(perNode).hasSize(9);
        assertThat(compute[0].commands.sent().stream().map(s -> s.nodeId()).distinct()).hasSize(3);
      }
    }
  }
}
