package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedHypervisorTest {

  private static HypervisorSettings fast(int threads, int queue) {
    return new HypervisorSettings("fake:///", Duration.ofMillis(200), threads, queue);
  }

  @Test
  void aHungCallTimesOutWithATypedError() {
    FakeHypervisor fake = new FakeHypervisor();
    CountDownLatch hang = fake.hang(FakeHypervisor.Op.LIST);
    try (BoundedHypervisor hv = BoundedHypervisor.wrap(fake, fast(2, 4))) {
      assertThatThrownBy(hv::list)
          .isInstanceOfSatisfying(HypervisorException.class, e -> {
            assertThat(e.kind()).isEqualTo(HypervisorException.Kind.TIMEOUT);
            assertThat(e.operation()).isEqualTo("list");
            assertThat(e.libvirtCode()).isEqualTo(HypervisorException.NO_LIBVIRT_CODE);
          });
      // Other calls still go through on the remaining thread.
      assertThat(hv.hostInfo().cpus()).isEqualTo(8);
    } finally {
      hang.countDown();
    }
  }

  @Test
  void aFullQueueFailsFastAsBusy() throws Exception {
    FakeHypervisor fake = new FakeHypervisor();
    CountDownLatch hang = fake.hang(FakeHypervisor.Op.LIST);
    try (BoundedHypervisor hv = BoundedHypervisor.wrap(fake, fast(1, 1))) {
      assertThatThrownBy(hv::list).hasMessageContaining("list"); // holds the only thread
      assertThatThrownBy(hv::list).isInstanceOf(HypervisorException.class); // sits in the queue
      assertThatThrownBy(hv::hostInfo).isInstanceOfSatisfying(HypervisorException.class,
          e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.BUSY));
    } finally {
      hang.countDown();
    }
  }

  @Test
  void callsFromAnEventLoopAreABug() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BoundedHypervisor hv = BoundedHypervisor.wrap(new FakeHypervisor(), fast(1, 1))) {
      CompletableFuture<Throwable> thrown = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        try {
          hv.list();
          thrown.complete(null);
        } catch (Throwable t) {
          thrown.complete(t);
        }
      });
      assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop");
    } finally {
      vertx.close().await();
    }
  }
}
