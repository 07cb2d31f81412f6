package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's node views in chromium against a cloud in a box with a SECOND node agent (a
 * {@code canopy node} process enrolled with a token, the cheapest real second host): each node's
 * view draws its CPU, memory, disk and network graphs with points from the agents' host metrics;
 * the correlate view draws both hosts' series on one axis, and its link reproduces it after a
 * reload; the latency view ranks both nodes. Screenshots in {@code deploy/target/console-screenshots}.
 */
class ConsoleHostsIT {

  private static final String PASSWORD = "a console passphrase";
  private static final Pattern NODE_ID = Pattern.compile("enrolled as node (nd-[0-9a-f]{16})");

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static Process node2;
  static String devNode;
  static String secondNode;
  @RegisterExtension final ConsoleBrowser browser = new ConsoleBrowser(() -> canopy.endpoint("console"));

  @BeforeAll
  static void start() throws Exception {
    ConsoleBrowser.assumeChromium();
    canopy = ConsoleBrowser.startCloud(dir, PASSWORD);
    CanopyCli.Result token = CanopyCli.run(dir, "token", "create", "--data", canopy.data().toString());
    assertThat(token.exit()).as(token.stderr()).isZero();
    Path log = dir.resolve("node2.log");
    node2 = new ProcessBuilder(CanopyProcess.javaCommand("node", "--controller", canopy.endpoint("agent"), "--token",
            token.stdout().strip(), "--data", dir.resolve("node2").toString(), "--zone", "canopy-1a"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    secondNode = awaitLog(log, NODE_ID, Duration.ofSeconds(90));
    CanopyCli.Result nodes = CanopyCli.run(dir, "nodes", "--data", canopy.data().toString());
    devNode = nodes.stdout().lines().skip(1).map(l -> l.trim().split("\\s+")[0]).filter(id -> !id.equals(secondNode))
        .findFirst().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node2 != null) {
      node2.destroy();
      node2.waitFor();
    }
    if (canopy != null) {
      canopy.close();
    }
  }

  @Test
  void eachNodesViewDrawsItsFourGraphsWithPoints() throws Exception {
    browser.logIn("admin", PASSWORD);
    browser.go("node");
    browser.waitFor(By.cssSelector("#nodes a[data-node='" + secondNode + "']"), Duration.ofSeconds(20));
    for (String node : List.of(devNode, secondNode)) {
      browser.open("node?id=" + node + "&window=15m");
      // Rates need two readings 10 s apart, then the ack: reload until every graph has points.
      reloadUntil(d -> List.of("cpu", "mem", "disk", "net").stream().allMatch(g -> points(d, "graph-" + g) > 0), Duration.ofSeconds(90));
      WebDriver driver = browser.driver();
      assertThat(driver.findElement(By.id("node-title")).getText()).contains(node);
      assertThat(driver.findElements(By.cssSelector(".host-plot canvas"))).hasSizeGreaterThanOrEqualTo(4);
      assertThat(driver.findElement(By.cssSelector("[data-fact='state']")).getText()).isEqualTo("AVAILABLE");
      browser.screenshot("node-" + node);
    }
  }

  @Test
  void twoHostsCorrelateOnOneAxisAndTheLinkReproducesTheView() throws Exception {
    browser.logIn("admin", PASSWORD);
    browser.go("correlate");
    WebDriver driver = browser.driver();
    browser.waitFor(By.cssSelector("input[data-host='" + secondNode + "']"), Duration.ofSeconds(20)).click();
    driver.findElement(By.cssSelector("input[data-host='" + devNode + "']")).click();
    driver.findElement(By.cssSelector("input[data-metric='cpu']")).click();
    driver.findElement(By.cssSelector("input[data-metric='net']")).click();
    driver.findElement(By.id("correlate-show")).click();
    reloadUntil(d -> points(d, "correlate-cpu") > 0 && points(d, "correlate-net") > 0, Duration.ofSeconds(90));
    for (String plot : List.of("correlate-cpu", "correlate-net")) {
      assertThat(driver.findElement(By.id(plot)).getAttribute("data-series")).as(plot).isEqualTo("2");
    }
    String address = driver.getCurrentUrl();
    assertThat(address).contains("hosts=").contains(secondNode).contains(devNode).contains("metrics=cpu%2Cnet")
        .contains("from=").contains("to=");
    assertThat(driver.findElement(By.id("correlate-link")).getAttribute("value")).isEqualTo(address);
    browser.screenshot("correlate");

    // The link alone, in a fresh page load: the same plots for the same window.
    String from = driver.findElement(By.id("correlate-plots")).getAttribute("data-from");
    driver.navigate().to("about:blank");
    driver.get(address);
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> points(d, "correlate-cpu") > 0);
    assertThat(driver.findElement(By.id("correlate-cpu")).getAttribute("data-series")).isEqualTo("2");
    assertThat(driver.findElement(By.id("correlate-plots")).getAttribute("data-from")).isEqualTo(from);
    assertThat(driver.findElement(By.cssSelector("input[data-host='" + secondNode + "']")).isSelected()).isTrue();
  }

  @Test
  void theLatencyViewRanksBothNodes() throws Exception {
    browser.logIn("admin", PASSWORD);
    browser.go("latency");
    // Round trips are published every 10 s: reload until both nodes have a measured median.
    reloadUntil(d -> d.findElements(By.cssSelector("#latency-nodes tbody tr")).size() == 2
        && d.findElements(By.cssSelector("#latency-nodes [data-inflation='']")).isEmpty(), Duration.ofSeconds(60));
    WebDriver driver = browser.driver();
    List<WebElement> rows = driver.findElements(By.cssSelector("#latency-nodes tbody tr"));
    assertThat(rows).extracting(r -> r.getAttribute("data-rank")).containsExactly("1", "2");
    assertThat(driver.findElement(By.id("latency-nodes")).getText()).contains(devNode).contains(secondNode);
    assertThat(driver.findElements(By.cssSelector("#latency-networks tbody tr"))).as("the console's own requests").isNotEmpty();
    browser.screenshot("latency");
  }

  private static int points(WebDriver driver, String id) {
    List<WebElement> found = driver.findElements(By.id(id));
    return found.isEmpty() ? 0 : Integer.parseInt(found.get(0).getAttribute("data-points"));
  }

  private void reloadUntil(java.util.function.Predicate<WebDriver> done, Duration atMost) {
    new WebDriverWait(browser.driver(), atMost, Duration.ofSeconds(5)).until(d -> {
      if (done.test(d)) {
        return true;
      }
      d.navigate().refresh();
      return false;
    });
  }

  private static String awaitLog(Path log, Pattern pattern, Duration atMost) throws Exception {
    Matcher found = await().atMost(atMost).pollInterval(Duration.ofMillis(500))
        .alias("the second node to enroll (its log: " + log + ")")
        .until(() -> {
          String text = Files.exists(log) ? Files.readString(log) : "";
          assertThat(node2.isAlive()).as("canopy node exited:\n%s", text).isTrue();
          return pattern.matcher(text);
        }, Matcher::find);
    return found.group(1);
  }
}
