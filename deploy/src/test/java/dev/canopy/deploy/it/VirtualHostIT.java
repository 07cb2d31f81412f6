package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Virtual-host addressing ({@code BUCKET.s3.localhost:PORT}, the default {@code s3.virtualHostDomain})
 * end to end with the SDK ({@code forcePathStyle(false)}) and boto3 ({@code addressing_style=virtual}).
 * No DNS here knows {@code *.s3.localhost}: each client resolves such names to the endpoint's address
 * itself, as a user's /etc/hosts or dnsmasq entry would.
 */
class VirtualHostIT {

  private static final String DOMAIN = "s3.localhost";

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  static CanopyProcess canopy;
  static StaticCredentialsProvider tenant;

  @BeforeAll
  static void clients() throws Exception {
    canopy = cloud.process();
    tenant = cloud.tenant();
  }

  @Test
  void theSdkWithVirtualHostAddressing() {
    Set<String> hosts = ConcurrentHashMap.newKeySet();
    try (S3Client s3 = virtualHostClient(hosts)) {
      s3.createBucket(b -> b.bucket("vhost-sdk"));
      s3.putObject(p -> p.bucket("vhost-sdk").key("dir/a b+c.txt"), RequestBody.fromString("virtual"));
      assertThat(s3.getObjectAsBytes(g -> g.bucket("vhost-sdk").key("dir/a b+c.txt")).asUtf8String()).isEqualTo("virtual");
      assertThat(s3.headObject(h -> h.bucket("vhost-sdk").key("dir/a b+c.txt")).contentLength()).isEqualTo(7);
      assertThat(s3.getBucketLocation(g -> g.bucket("vhost-sdk")).locationConstraintAsString()).isEqualTo(canopy.region());

      String upload = s3.createMultipartUpload(c -> c.bucket("vhost-sdk").key("parts")).uploadId();
      String etag = s3.uploadPart(u -> u.bucket("vhost-sdk").key("parts").uploadId(upload).partNumber(1), RequestBody.fromString("one part")).eTag();
      s3.completeMultipartUpload(c -> c.bucket("vhost-sdk").key("parts").uploadId(upload)
          .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
      s3.copyObject(c -> c.sourceBucket("vhost-sdk").sourceKey("parts").destinationBucket("vhost-sdk").destinationKey("copy"));

      assertThat(s3.listObjectsV2(l -> l.bucket("vhost-sdk")).contents()).extracting(S3Object::key)
          .containsExactly("copy", "dir/a b+c.txt", "parts");
      s3.deleteObjects(d -> d.bucket("vhost-sdk").delete(x -> x.objects(o -> o.key("copy"), o -> o.key("parts"))));
      s3.deleteObject(d -> d.bucket("vhost-sdk").key("dir/a b+c.txt"));
      s3.deleteBucket(d -> d.bucket("vhost-sdk"));
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("vhost-sdk");
    }
    // Every bucket request went to the bucket's own host name; ListBuckets to the bare domain.
    assertThat(hosts).containsExactlyInAnyOrder("vhost-sdk." + DOMAIN, DOMAIN);
  }

  @Test
  void boto3WithVirtualAddressingStyle() throws Exception {
    String port = String.valueOf(URI.create(canopy.endpoint("s3")).getPort());
    ExternalTool.Result result = Boto3.run(canopy, "virtual-host",
        Map.of("CANOPY_S3", "http://" + DOMAIN + ":" + port, "CANOPY_VHOST_DOMAIN", DOMAIN)).assertOk();
    assertThat(result.stdout()).contains("hosts vhost-boto3." + DOMAIN + ":" + port).contains("ok");
  }

  private static S3Client virtualHostClient(Set<String> hosts) {
    URI endpoint = URI.create(canopy.endpoint("s3"));
    InetAddress address = InetAddress.getLoopbackAddress();
    return S3Client.builder()
        .endpointOverride(URI.create("http://" + DOMAIN + ":" + endpoint.getPort()))
        .region(Region.of(canopy.region()))
        .credentialsProvider(tenant)
        .forcePathStyle(false)
        .httpClient(Apache5HttpClient.builder()
            .dnsResolver(new SystemDefaultDnsResolver() {
              @Override
              public InetAddress[] resolve(String host) throws java.net.UnknownHostException {
                if (host.equals(DOMAIN) || host.endsWith("." + DOMAIN)) {
                  return new InetAddress[] {InetAddress.getByAddress(host, address.getAddress())};
                }
                return super.resolve(host);
              }
            })
            .build())
        .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            hosts.add(context.httpRequest().host());
          }
        }))
        .build();
  }
}
