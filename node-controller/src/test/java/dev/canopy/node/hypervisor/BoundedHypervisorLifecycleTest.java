package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The bounded wrapper around connecting, closing and calls that gave up: what an operator sees
 * when libvirtd is wedged, and that a call the agent reported as timed out never acts later.
 */
class BoundedHypervisorLifecycleTest {

  private static HypervisorSettings settings(String uri, int threads, int queue) {
    return new HypervisorSettings(uri, Duration.ofMillis(300), threads, queue);
  }

  @Test
  void connectsThatFailOverAndOverLeaveNoThreadsBehind() {
    long before = hypervisorThreads();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> BoundedHypervisor.open(() -> {
        throw HypervisorException.of(HypervisorException.Kind.FAILED, "open", "libvirtd is not running");
      }, settings("fake:///", 2, 1))).isInstanceOf(HypervisorException.class).hasMessageContaining("libvirtd is not running");
    }

    // An agent retrying a dead libvirtd must not pile up two idle threads per try.
    await().atMost(Duration.ofSeconds(10)).until(() -> hypervisorThreads() <= before);
  }

  private static long hypervisorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("canopy-hypervisor-")).count();
  }

  @Test
  void aCallThatTimedOutWhileQueuedNeverRunsOnceTheHypervisorRecovers() {
    FakeHypervisor fake = new FakeHypervisor();
    CountDownLatch hang = fake.hang(FakeHypervisor.Op.LIST);
    try (BoundedHypervisor hv = BoundedHypervisor.wrap(fake, settings("fake:///", 1, 4))) {
      assertThatThrownBy(hv::list).isInstanceOf(HypervisorException.class); // holds the only thread
      assertThatThrownBy(() -> hv.define("<domain type='test'><name>i-0queued0000000000</name></domain>"))
          .isInstanceOfSatisfying(HypervisorException.class,
              e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.TIMEOUT));

      hang.countDown();

      // The stuck thread comes back and serves new calls ...
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> hv.hostInfo().cpus() == 8);
      // ... but the define the caller was told had timed out was dropped, not run late behind its back.
      assertThat(fake.calls(FakeHypervisor.Op.DEFINE)).isZero();
      assertThat(fake.xmlOf("i-0queued0000000000")).isEmpty();
    }
  }

  @Test
  void aFailureInsideTheDelegateIsThrownAsItselfAndTheThreadIsFreeAfterwards() {
    HypervisorException refusal = HypervisorException.of(HypervisorException.Kind.INVALID_STATE, "start", "domain is running");
    Hypervisor refusing = new ForwardingHypervisor(new FakeHypervisor()) {
      @Override
      public void start(String name) {
        throw refusal;
      }
    };
    try (BoundedHypervisor hv = BoundedHypervisor.wrap(refusing, settings("fake:///", 1, 1))) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> hv.start("i-1")).isSameAs(refusal);
      }
      assertThat(hv.hostInfo().cpus()).isEqualTo(8);
    }
  }

  @Test
  void closingAWedgedConnectionReturnsAndLaterCallsAreRefusedNotHung() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Hypervisor wedgedOnClose = new ForwardingHypervisor(new FakeHypervisor()) {
      @Override
      public void close() {
        TestDriver.awaitLikeANativeCall(release);
      }
    };
    try {
      BoundedHypervisor hv = BoundedHypervisor.wrap(wedgedOnClose, settings("fake:///", 2, 2));
      // Bounded so that a regression fails here instead of hanging the build.
      CompletableFuture.runAsync(hv::close).get(30, TimeUnit.SECONDS);

      AtomicReference<Throwable> after = new AtomicReference<>();
      try {
        hv.hostInfo();
      } catch (HypervisorException e) {
        after.set(e);
      }
      assertThat(after.get()).as("a closed hypervisor takes no more calls").isInstanceOf(HypervisorException.class);
    } finally {
      release.countDown();
    }
  }
}
