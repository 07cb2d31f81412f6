package dev.canopy.cloud.bench;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.ec2.Ec2Action;
import dev.canopy.cloud.ec2.Ec2TestCloud;
import dev.canopy.cloud.ec2.ImageActions;
import dev.canopy.cloud.ec2.InstanceActions;
import dev.canopy.cloud.ec2.InstanceTypeActions;
import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.core.cache.KeyedMemo;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.identity.NewAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * DescribeInstances over 10,000 instances of one account, through the real EC2 endpoint (SigV4,
 * Query, grid, XML) with the AWS SDK for Java v2: p50/p99 of a page of 1,000, of the whole set
 * (paginated the way the SDK's paginator does it), of a tag filter matching 100 and of a state
 * filter matching the 100 stopped ones. Nodes answer
 * commands at once (no libvirt): this measures the control plane. Run with
 * bench/describe-instances.sh; results in bench/results/describe-instances.txt.
 */
public final class DescribeInstancesBench {

  private static final int INSTANCES = 10_000;
  private static final int PER_RUN = 500;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/describe-instances.txt");
    Path dir = Files.createTempDirectory("describe-bench");
    ComputeFixture[] compute = new ComputeFixture[1];
    try (Ec2TestCloud cloud = Ec2TestCloud.start(dir, parts -> {
      compute[0] = new ComputeFixture(tablesAsTheControllerOpensThem(parts.grid()), parts.clock(), 7);
      List<Ec2Action> actions = new ArrayList<>(InstanceActions.of(compute[0].instances, "t3.nano"));
      actions.addAll(InstanceTypeActions.of(InstanceTypes.defaults()));
      actions.addAll(ImageActions.of(compute[0].images));
      return actions;
    })) {
      compute[0].addNode("node-huge", 1_000_000, 1_000_000_000, 1_000_000_000);
      NewAccount account = cloud.newAccount("bench");
      Ec2Client ec2 = cloud.client(account);
      String ami = compute[0].systemImage.imageId();
      long loadStart = System.nanoTime();
      // 100 of the 10,000 carry the tag the filtered query looks for.
      ec2.runInstances(r -> r.imageId(ami).instanceType("t3.nano").minCount(100).maxCount(100)
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
              .tags(Tag.builder().key("tier").value("db").build()).build()));
      for (int remaining = INSTANCES - 100; remaining > 0; remaining -= PER_RUN) {
        int count = Math.min(PER_RUN, remaining);
        ec2.runInstances(r -> r.imageId(ami).instanceType("t3.nano").minCount(count).maxCount(count));
      }
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      // 100 untagged instances are stopped, for the state filter (nodes acknowledge at once).
      List<String> toStop = ec2.describeInstances(r -> r.maxResults(200)).reservations().stream()
          .flatMap(res -> res.instances().stream()).map(i -> i.instanceId()).skip(100).limit(100).toList();
      ec2.stopInstances(r -> r.instanceIds(toStop));

      String page = measure("page of 1,000 (MaxResults=1000)", 200, () ->
          ec2.describeInstances(r -> r.maxResults(1000)).reservations().size());
      String pageBytes = measure("page of 1,000, signed POST, body unparsed", 200, signedPageRead(cloud.endpoint(), account));
      String all = measure("all 10,000 (SDK paginator, 10 pages)", 20, () ->
          (int) ec2.describeInstancesPaginator(r -> r.maxResults(1000)).reservations().stream().count());
      String filtered = measure("filter tag:tier=db (100 of 10,000)", 200, () ->
          ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:tier").values("db").build())).reservations()
              .stream().mapToInt(res -> res.instances().size()).sum());
      String byState = measure("filter instance-state-name=stopped,stopping (100)", 200, () ->
          ec2.describeInstances(r -> r.filters(Filter.builder().name("instance-state-name").values("stopped", "stopping").build()))
              .reservations().stream().mapToInt(res -> res.instances().size()).sum());
      String report = String.format(Locale.ROOT,
          "DescribeInstances, %d instances in one account, %d cores, load average %.2f, %s%n"
              + "instance records decoded and remembered: %d%n"
              + "launch of %d instances in %.1f s (%d RunInstances)%n%s%n%s%n%s%n%s%n%s%n",
          INSTANCES, Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), java.time.Instant.now(),
          RECORDS_REMEMBERED, INSTANCES, loadSeconds, INSTANCES / PER_RUN + 1, page, pageBytes, all, filtered, byState);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.print(report);
    }
  }

  /**
   * {@code -Dbench.recordsRemembered=N}: the instance table's decode memo, the controller's size
   * by default; 0 decodes every read, as before the memo (for a before-and-after pair in one build).
   */
  private static final int RECORDS_REMEMBERED = Integer.getInteger("bench.recordsRemembered", InstanceService.RECORDS_REMEMBERED);

  /** Instances in a fenced table with the controller's decode memo (ComputePlane), the rest plain grid maps. */
  private static ComputeFixture.Tables tablesAsTheControllerOpensThem(Grid grid) {
    return new ComputeFixture.Tables() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> Table<T> table(String name, Class<T> type) {
        if (!name.equals(InstanceService.INSTANCES_MAP)) {
          return grid.map(name, type);
        }
        KeyedMemo<String, Instance> memo = RECORDS_REMEMBERED == 0 ? KeyedMemo.none() : KeyedMemo.ofSize(RECORDS_REMEMBERED);
        return (Table<T>) FencedTable.open(grid, name, Instance.class, () -> 1L, memo);
      }
    };
  }

  /**
   * A page of 1,000 as the wire carries it: a SigV4-signed POST sent with the JDK's HTTP client and
   * its body read whole but not parsed, so the time is the server's answer without the AWS SDK's
   * XML unmarshalling (which costs a page 40–80 ms of the caller's CPU on its own).
   */
  private static Supplier<Integer> signedPageRead(java.net.URI endpoint, NewAccount account) {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    AwsCredentialsIdentity identity = AwsCredentialsIdentity.create(
        account.credential().accessKeyId(), account.credential().secretAccessKey());
    byte[] form = "Action=DescribeInstances&Version=2016-11-15&MaxResults=1000".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return () -> {
      SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
          .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
      SdkHttpRequest signed = signer.sign(r -> r.identity(identity).request(unsigned)
          .payload(ContentStreamProvider.fromByteArrayUnsafe(form))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
          .putProperty(AwsV4HttpSigner.REGION_NAME, Ec2TestCloud.REGION)).request();
      java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(endpoint)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form));
      // The JDK client sets Host and Content-Length itself, to the values that were signed.
      signed.headers().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
          values.forEach(value -> request.header(name, value));
        }
      });
      try {
        java.net.http.HttpResponse<String> answer = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
          throw new IllegalStateException("DescribeInstances answered " + answer.statusCode() + ": " + answer.body());
        }
        return countOf(answer.body(), "<instanceId>");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  private static int countOf(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  /**
   * {@code -Dbench.runsDivisor=N} divides every run count, for a quicker pass (two runs side by side
   * on a loaded machine); p99 is then over fewer calls, which the report's run counts show.
   */
  private static final int RUNS_DIVISOR = Integer.getInteger("bench.runsDivisor", 1);

  /**
   * Warm-up of a tenth, then {@code runs} timed calls; p50/p99/max in ms, and the CPU the rest of
   * the process spent per call: the process's CPU time less the calling thread's (the SDK client
   * sends and parses on it), so the server's work plus GC and JIT, whatever the machine's load.
   */
  private static String measure(String label, int fullRuns, Supplier<Integer> call) {
    int runs = Math.max(5, fullRuns / RUNS_DIVISOR);
    for (int i = 0; i < Math.max(2, runs / 10); i++) {
      call.get();
    }
    double[] ms = new double[runs];
    int size = 0;
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long processCpuStart = os.getProcessCpuTime();
    long clientCpuStart = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      size = call.get();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    long clientCpu = threads.getCurrentThreadCpuTime() - clientCpuStart;
    double serverCpuMs = (os.getProcessCpuTime() - processCpuStart - clientCpu) / 1e6 / runs;
    Arrays.sort(ms);
    return String.format(Locale.ROOT,
        "%-40s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  server CPU %6.1f ms/call, client %6.1f ms/call  (%d runs, last answer %d items)",
        label, ms[runs / 2], ms[(int) Math.ceil(runs * 0.99) - 1], ms[runs - 1], serverCpuMs, clientCpu / 1e6 / runs, runs, size);
  }
}
