package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@code canopy account create|list|delete|disable|enable|keys} against a running cloud, and the admin API's 403s. */
class AccountCliIT {

  @TempDir static Path dir;
  static CanopyProcess canopy;

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  @Test
  void accountLifecycleThroughTheCli() throws Exception {
    String data = canopy.data().toString();
    CanopyCli.Result created = CanopyCli.run(dir, "account", "create", "acme", "--data", data);
    assertThat(created.exit()).as(created.stderr()).isZero();
    String keyId = field(created.stdout(), "aws_access_key_id");
    String secret = field(created.stdout(), "aws_secret_access_key");

    CanopyCli.Result listed = CanopyCli.run(dir, "account", "list", "--data", data);
    assertThat(listed.exit()).isZero();
    assertThat(listed.stdout()).contains("acme").contains("default");
    assertThat(CanopyCli.run(dir, "account", "create", "acme", "--data", data).stderr()).contains("AccountAlreadyExists");

    // The new tenant works, and owns a bucket: deleting the account is refused.
    try (S3Client s3 = TenantClients.s3(canopy, TenantClients.provider(keyId, secret))) {
      s3.createBucket(b -> b.bucket("acme-data"));
      CanopyCli.Result refused = CanopyCli.run(dir, "account", "delete", "acme", "--data", data);
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.stderr()).contains("DeleteConflict").contains("acme-data");
      s3.deleteBucket(b -> b.bucket("acme-data"));
    }
    CanopyCli.Result deleted = CanopyCli.run(dir, "account", "delete", "acme", "--data", data);
    assertThat(deleted.exit()).as(deleted.stderr()).isZero();
    assertThat(CanopyCli.run(dir, "account", "list", "--data", data).stdout()).doesNotContain("acme");
    try (S3Client s3 = TenantClients.s3(canopy, TenantClients.provider(keyId, secret))) {
      assertThatThrownBy(s3::listBuckets)
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId"));
    }
    assertThat(CanopyCli.run(dir, "account", "delete", "acme", "--data", data).stderr()).contains("NoSuchAccount");
  }

  @Test
  void disablingEnablingAndRotatingKeysThroughTheCli() throws Exception {
    String data = canopy.data().toString();
    CanopyCli.Result created = CanopyCli.run(dir, "account", "create", "hooli", "--data", data);
    assertThat(created.exit()).as(created.stderr()).isZero();
    String oldKey = field(created.stdout(), "aws_access_key_id");
    String oldSecret = field(created.stdout(), "aws_secret_access_key");

    CanopyCli.Result disabled = CanopyCli.run(dir, "account", "disable", "hooli", "--data", data);
    assertThat(disabled.exit()).as(disabled.stderr()).isZero();
    assertThat(CanopyCli.run(dir, "account", "list", "--data", data).stdout()).containsPattern("hooli +[0-9]{12} +disabled");
    assertS3Code(oldKey, oldSecret, "InvalidAccessKeyId");
    assertThat(CanopyCli.run(dir, "account", "enable", "hooli", "--data", data).exit()).isZero();

    CanopyCli.Result rotated = CanopyCli.run(dir, "account", "keys", "hooli", "--create", "--data", data);
    assertThat(rotated.exit()).as(rotated.stderr()).isZero();
    String newKey = field(rotated.stdout(), "aws_access_key_id");
    String newSecret = field(rotated.stdout(), "aws_secret_access_key");
    assertThat(CanopyCli.run(dir, "account", "keys", "hooli", "--create", "--data", data).stderr()).contains("LimitExceeded");
    assertThat(CanopyCli.run(dir, "account", "keys", "hooli", "--deactivate", oldKey, "--data", data).exit()).isZero();
    CanopyCli.Result listed = CanopyCli.run(dir, "account", "keys", "hooli", "--data", data);
    assertThat(listed.stdout()).containsPattern(oldKey + " +Inactive").containsPattern(newKey + " +Active")
        .doesNotContain(oldSecret).doesNotContain(newSecret);
    assertS3Code(oldKey, oldSecret, "InvalidAccessKeyId");
    assertThat(CanopyCli.run(dir, "account", "keys", "hooli", "--delete", oldKey, "--data", data).exit()).isZero();
    assertThat(CanopyCli.run(dir, "account", "keys", "hooli", "--delete", oldKey, "--data", data).stderr()).contains("NoSuchEntity");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      try (S3Client s3 = TenantClients.s3(canopy, TenantClients.provider(newKey, newSecret))) {
        s3.listBuckets();
      }
    });
    assertThat(CanopyCli.run(dir, "account", "delete", "hooli", "--data", data).exit()).isZero();
  }

  /** S3 refuses the key with {@code code}, within the second a storage node's directory cache may take. */
  private static void assertS3Code(String keyId, String secret, String code) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
      try (S3Client s3 = TenantClients.s3(canopy, TenantClients.provider(keyId, secret))) {
        assertThatThrownBy(s3::listBuckets)
            .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
      }
    });
  }

  @Test
  void consolePasswordsSetThroughTheCliOpenSessionsAndRemovedOnesDoNot() throws Exception {
    String data = canopy.data().toString();
    Path passwordFile = dir.resolve("console-password");
    java.nio.file.Files.writeString(passwordFile, "a passphrase for the console\n");
    CanopyCli.Result created = CanopyCli.run(dir, "account", "create", "portal", "--data", data,
        "--console-password-file", passwordFile.toString());
    assertThat(created.exit()).as(created.stderr()).isZero();
    assertThat(created.stdout()).contains("console password of portal set").doesNotContain("a passphrase");
    assertThat(CanopyCli.run(dir, "account", "password", "admin", "--data", data, "--password-file", passwordFile.toString())
        .exit()).isZero();

    HttpResponse<String> tenant = login("portal", "a passphrase for the console");
    assertThat(tenant.statusCode()).as(tenant.body()).isEqualTo(200);
    assertThat(tenant.body()).contains("\"accountName\":\"portal\"").contains("\"operator\":false");
    assertThat(tenant.headers().firstValue("set-cookie").orElseThrow()).contains("canopy_session=");
    assertThat(login("admin", "a passphrase for the console").body()).contains("\"operator\":true");

    java.nio.file.Files.writeString(passwordFile, "short\n");
    CanopyCli.Result tooShort = CanopyCli.run(dir, "account", "password", "portal", "--data", data, "--password-file", passwordFile.toString());
    assertThat(tooShort.exit()).isEqualTo(1);
    assertThat(tooShort.stderr()).contains("InvalidPassword").doesNotContain("short\n");
    assertThat(CanopyCli.run(dir, "account", "password", "portal", "--data", data, "--remove").exit()).isZero();
    assertThat(login("portal", "a passphrase for the console").statusCode()).isEqualTo(401);
  }

  private static HttpResponse<String> login(String account, String password) throws Exception {
    String body = "{\"account\":\"" + account + "\",\"password\":\"" + password + "\"}";
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(canopy.endpoint("console") + "/api/session"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"dev", "--help"}, new String[] {"account", "--help"},
        new String[] {"account", "create", "--help"}, new String[] {"account", "list", "--help"}, new String[] {"account", "delete", "--help"},
        new String[] {"account", "password", "--help"})) {
      CanopyCli.Result help = CanopyCli.run(dir, args);
      assertThat(help.exit()).isZero();
      assertThat(help.stdout()).contains("Usage:");
    }
  }

  @Test
  void adminApiRefusesUnsignedAndTenantRequests() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI accounts = URI.create(canopy.endpoint("console") + "/admin/v1/accounts");
    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(accounts).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("AccessDenied");

    var tenant = TenantClients.firstTenant(canopy);
    HttpResponse<String> asTenant = http.send(AdminRequests.signedGet(accounts, tenant.accessKeyId(), tenant.secretAccessKey(), canopy.region()), HttpResponse.BodyHandlers.ofString());
    assertThat(asTenant.statusCode()).isEqualTo(403);
    assertThat(asTenant.body()).contains("AccessDenied");

    HttpResponse<String> badSecret = http.send(AdminRequests.signedGet(accounts, tenant.accessKeyId(), "x" + tenant.secretAccessKey().substring(1), canopy.region()), HttpResponse.BodyHandlers.ofString());
    assertThat(badSecret.statusCode()).isEqualTo(403);
    assertThat(badSecret.body()).contains("SignatureDoesNotMatch");
  }

  @Test
  void cliWithoutARunningCloudSaysSo() throws Exception {
    CanopyCli.Result run = CanopyCli.run(dir, "account", "list", "--data", dir.resolve("nowhere").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("no running cloud found");
  }

  private static String field(String output, String name) {
    Matcher m = Pattern.compile(Pattern.quote(name) + " = (\\S+)").matcher(output);
    assertThat(m.find()).as("'%s' in: %s", name, output).isTrue();
    return m.group(1);
  }
}
