package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.KeyType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The key-pair family through the real endpoint with the AWS SDK for Java v2. */
class KeyPairActionsTest {

  @TempDir static Path dir;
  static Ec2TestCloud cloud;
  static Ec2Client alice;
  static Ec2Client bob;

  @BeforeAll
  static void start() throws Exception {
    AccessFamilies families = new AccessFamilies();
    cloud = Ec2TestCloud.start(dir, families::build);
    alice = cloud.client(cloud.newAccount("kp-alice"));
    bob = cloud.client(cloud.newAccount("kp-bob"));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
  }

  @Test
  void createDescribeDeleteRsa() {
    var created = alice.createKeyPair(r -> r.keyName("rsa-key").tagSpecifications(tagSpec("env", "dev")));
    assertThat(created.keyMaterial()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(created.keyFingerprint()).matches("([0-9a-f]{2}:){19}[0-9a-f]{2}");
    assertThat(created.keyPairId()).matches("key-[0-9a-f]{17}");
    assertThat(created.tags()).containsExactly(Tag.builder().key("env").value("dev").build());
    KeyPairInfo info = alice.describeKeyPairs(r -> r.keyNames("rsa-key").includePublicKey(true)).keyPairs().get(0);
    assertThat(info.keyFingerprint()).isEqualTo(created.keyFingerprint());
    assertThat(info.keyType()).isEqualTo(KeyType.RSA);
    assertThat(info.publicKey()).startsWith("ssh-rsa AAAA");
    assertThat(info.createTime()).isNotNull();
    assertThat(info.tags()).extracting(Tag::key).containsExactly("env");
    // The private key is never stored, so never shown again.
    assertThat(info.toString()).doesNotContain("PRIVATE");
    assertThat(alice.deleteKeyPair(r -> r.keyName("rsa-key")).keyPairId()).isEqualTo(created.keyPairId());
    assertCode(() -> alice.describeKeyPairs(r -> r.keyNames("rsa-key")), "InvalidKeyPair.NotFound");
    // Idempotent, like AWS.
    assertThat(alice.deleteKeyPair(r -> r.keyName("rsa-key")).returnValue()).isTrue();
    assertThat(alice.deleteKeyPair(r -> r.keyPairId("key-0000000000000000a")).returnValue()).isTrue();
  }

  @Test
  void ed25519AndFilters() {
    var created = alice.createKeyPair(r -> r.keyName("ed-key").keyType(KeyType.ED25519));
    assertThat(created.keyMaterial()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(created.keyFingerprint()).endsWith("=");
    alice.createKeyPair(r -> r.keyName("ed-other").keyType(KeyType.ED25519));
    assertThat(alice.describeKeyPairs(r -> r.filters(filter("key-type", "ed25519"), filter("key-name", "ed-k*"))).keyPairs())
        .extracting(KeyPairInfo::keyName).containsExactly("ed-key");
    assertThat(alice.describeKeyPairs(r -> r.filters(filter("fingerprint", created.keyFingerprint()))).keyPairs())
        .extracting(KeyPairInfo::keyPairId).containsExactly(created.keyPairId());
    assertThat(alice.describeKeyPairs(r -> r.keyPairIds(created.keyPairId())).keyPairs()).hasSize(1)
        .allSatisfy(k -> assertThat(k.publicKey()).isNull());
    assertCode(() -> alice.describeKeyPairs(r -> r.filters(filter("colour", "x"))), "InvalidParameterValue");
    assertCode(() -> alice.createKeyPair(r -> r.keyName("ed-key")), "InvalidKeyPair.Duplicate");
    assertCode(() -> alice.createKeyPair(r -> r.keyName("ppk").keyFormat("ppk")), "InvalidParameterValue");
    assertCode(() -> alice.createKeyPair(r -> r.keyName("bad").keyType("dsa")), "InvalidParameterValue");
    assertCode(() -> alice.createKeyPair(r -> r.keyName("wrong-tag").tagSpecifications(TagSpecification.builder()
        .resourceType(ResourceType.INSTANCE).tags(Tag.builder().key("a").value("b").build()).build())), "InvalidParameterValue");
    assertCode(() -> alice.createKeyPair(r -> r.keyType(KeyType.RSA)), "MissingParameter");
  }

  @Test
  void importOpenSshKeys() {
    String line = "ssh-ed25519 " + dev.canopy.cloud.keypairs.SshKeys.generateEd25519(new SecureRandom()).publicKeyBase64() + " me@host";
    var imported = alice.importKeyPair(r -> r.keyName("imported").publicKeyMaterial(SdkBytes.fromUtf8String(line))
        .tagSpecifications(tagSpec("from", "laptop")));
    assertThat(imported.keyPairId()).matches("key-[0-9a-f]{17}");
    assertThat(imported.tags()).extracting(Tag::value).containsExactly("laptop");
    KeyPairInfo info = alice.describeKeyPairs(r -> r.keyNames("imported").includePublicKey(true)).keyPairs().get(0);
    assertThat(info.keyFingerprint()).isEqualTo(imported.keyFingerprint());
    assertThat(info.publicKey()).startsWith(line.substring(0, line.lastIndexOf(' ')));
    assertCode(() -> alice.importKeyPair(r -> r.keyName("junk").publicKeyMaterial(SdkBytes.fromUtf8String("not a key"))),
        "InvalidKeyPair.Format");
    assertCode(() -> alice.importKeyPair(r -> r.keyName("imported").publicKeyMaterial(SdkBytes.fromUtf8String(line))),
        "InvalidKeyPair.Duplicate");
    assertCode(() -> alice.importKeyPair(r -> r.keyName("none")), "MissingParameter");
  }

  @Test
  void anotherAccountSeesNothing() {
    var created = alice.createKeyPair(r -> r.keyName("private-to-alice").keyType(KeyType.ED25519));
    assertThat(bob.describeKeyPairs().keyPairs()).extracting(KeyPairInfo::keyName).doesNotContain("private-to-alice");
    assertCode(() -> bob.describeKeyPairs(r -> r.keyNames("private-to-alice")), "InvalidKeyPair.NotFound");
    assertCode(() -> bob.describeKeyPairs(r -> r.keyPairIds(created.keyPairId())), "InvalidKeyPair.NotFound");
    assertCode(() -> bob.createTags(r -> r.resources(created.keyPairId()).tags(Tag.builder().key("a").value("b").build())),
        "InvalidKeyPair.NotFound");
    // Bob's delete of Alice's key by id or name is the same success as for a key that never existed.
    bob.deleteKeyPair(r -> r.keyPairId(created.keyPairId()));
    bob.deleteKeyPair(r -> r.keyName("private-to-alice"));
    assertThat(alice.describeKeyPairs(r -> r.keyNames("private-to-alice")).keyPairs()).hasSize(1);
    // The same name is free in Bob's account.
    bob.createKeyPair(r -> r.keyName("private-to-alice").keyType(KeyType.ED25519));
  }

  static TagSpecification tagSpec(String key, String value) {
    return TagSpecification.builder().resourceType(ResourceType.KEY_PAIR).tags(Tag.builder().key(key).value(value).build()).build();
  }

  static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }

  static void assertCode(Executable call, String code) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
  }
}
