package dev.canopy.deploy.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The units in {@code deploy/systemd} are ones systemd accepts ({@code systemd-analyze verify},
 * Debian's systemd package), every variable a unit's command line uses is set by its example
 * environment file, and the example config files are ones Canopy loads.
 */
class SystemdUnitsTest {

  private static final Path UNITS = Path.of("systemd").toAbsolutePath();
  private static final Pattern VARIABLE = Pattern.compile("\\$([A-Z_]+)");

  @ParameterizedTest
  @ValueSource(strings = {"controller", "storage", "node"})
  void theUnitVerifiesAndItsExampleEnvironmentSetsEveryVariableItUses(String role) throws Exception {
    Path unit = UNITS.resolve("canopy-" + role + ".service");
    String text = Files.readString(unit);
    String env = Files.readString(UNITS.resolve(role + ".env"));
    assertThat(text).contains("EnvironmentFile=/etc/canopy/" + role + ".env", "User=canopy", "Restart=on-failure",
        "StateDirectory=canopy/" + role, "/usr/lib/canopy/canopy.jar " + role);
    Matcher used = VARIABLE.matcher(text);
    while (used.find()) {
      assertThat(env).as("%s.env sets %s", role, used.group(1)).containsPattern("(?m)^" + used.group(1) + "=");
    }

    Process verify = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString()).redirectErrorStream(true).start();
    String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as("systemd-analyze verify: %s", said).isZero();
    assertThat(said).as("systemd-analyze verify warnings").doesNotContain(unit.getFileName().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"controller", "storage"})
  void theExampleConfigFilesLoad(String role) throws Exception {
    CanopyConfig config = ConfigLoader.load(UNITS.resolve(role + ".yaml"));
    if (role.equals("storage")) {
      assertThat(config.ports().management()).as("off the controller's 8781 on a shared host").isEqualTo(8791);
    } else {
      assertThat(config.console().hostnames()).contains("cloud.example.com");
    }
  }
}
