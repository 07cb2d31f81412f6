package dev.canopy.deploy.it;

import dev.canopy.api.auth.Credential;
import dev.canopy.deploy.process.CloudFiles;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/** AWS SDK for Java v2 clients pointed at a running cloud, as a tenant would configure them. */
final class TenantClients {

  private TenantClients() {}

  /** The first tenant's key, from the profile the cloud wrote at first start. */
  static Credential firstTenant(CanopyProcess canopy) throws Exception {
    return CloudFiles.readProfile(canopy.data().resolve("aws/credentials"), "canopy", "")
        .orElseThrow(() -> new AssertionError("no canopy profile in DATA/aws/credentials"));
  }

  static StaticCredentialsProvider provider(String keyId, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret));
  }

  static S3Client s3(CanopyProcess canopy, StaticCredentialsProvider credentials) {
    return S3Client.builder()
        .endpointOverride(URI.create(canopy.endpoint("s3")))
        .region(Region.of(canopy.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .build();
  }

  static S3AsyncClient s3Async(CanopyProcess canopy, StaticCredentialsProvider credentials) {
    return S3AsyncClient.builder()
        .endpointOverride(URI.create(canopy.endpoint("s3")))
        .region(Region.of(canopy.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .build();
  }

  static Ec2Client ec2(CanopyProcess canopy, StaticCredentialsProvider credentials) {
    return Ec2Client.builder()
        .endpointOverride(URI.create(canopy.endpoint("ec2")))
        .region(Region.of(canopy.region()))
        .credentialsProvider(credentials)
        .build();
  }

  static StaticCredentialsProvider tenant(CanopyProcess canopy) throws Exception {
    Credential c = firstTenant(canopy);
    return provider(c.accessKeyId(), c.secretAccessKey());
  }

  /** Runs one t3.nano of the cloud's machine image as the first tenant and waits until it runs; its id. */
  static String runTinyInstance(CanopyProcess canopy) throws Exception {
    try (Ec2Client ec2 = ec2(canopy, tenant(canopy))) {
      String image = ec2.describeImages(r -> r.filters(f -> f.name("image-type").values(
          software.amazon.awssdk.services.ec2.model.ImageTypeValues.MACHINE.toString()))).images().get(0).imageId();
      String instanceId = ec2.runInstances(r -> r.imageId(image)
          .instanceType(software.amazon.awssdk.services.ec2.model.InstanceType.T3_NANO).minCount(1).maxCount(1))
          .instances().get(0).instanceId();
      ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds(instanceId));
      return instanceId;
    }
  }
}
