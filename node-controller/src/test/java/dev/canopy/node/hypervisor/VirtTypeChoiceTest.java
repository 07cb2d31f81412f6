package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transition table of the virtualization choice: guests launched while the KVM probe runs get
 * QEMU, and only a probe that finishes with "yes" before the agent closes switches later guests
 * to KVM.
 */
class VirtTypeChoiceTest {

  private final ExecutorService probes = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws Exception {
    probes.shutdownNow();
    assertThat(probes.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void guestsLaunchedDuringTheProbeGetQemuAndLaterOnesKvmOnceItSaysYes() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    VirtTypeChoice choice = VirtTypeChoice.probing(probes, stillWanted -> {
      await(answer);
      return true;
    });

    assertThat(choice.get()).as("a launch never waits for the probe").isEqualTo(VirtType.QEMU);
    assertThat(choice.settled()).isNotDone();

    answer.countDown();

    assertThat(choice.settled().get(30, TimeUnit.SECONDS)).isEqualTo(VirtType.KVM);
    assertThat(choice.get()).isEqualTo(VirtType.KVM);
  }

  @Test
  void aProbeThatSaysNoSettlesOnQemu() throws Exception {
    VirtTypeChoice choice = VirtTypeChoice.probing(probes, stillWanted -> false);

    assertThat(choice.settled().get(30, TimeUnit.SECONDS)).isEqualTo(VirtType.QEMU);
    assertThat(choice.get()).isEqualTo(VirtType.QEMU);
  }

  @Test
  void aProbeThatBreaksSettlesOnQemuInsteadOfLeavingTheChoiceOpen() throws Exception {
    VirtTypeChoice choice = VirtTypeChoice.probing(probes, stillWanted -> {
      throw new IllegalStateException("a bug in the probe");
    });

    assertThat(choice.settled().get(30, TimeUnit.SECONDS)).isEqualTo(VirtType.QEMU);
  }

  @Test
  void closingDuringTheProbeTellsItToStopAndAYesThatComesAfterIsIgnored() throws Exception {
    CountDownLatch probing = new CountDownLatch(1);
    AtomicBoolean sawStop = new AtomicBoolean();
    VirtTypeChoice choice = VirtTypeChoice.probing(probes, stillWanted -> {
      probing.countDown();
      while (stillWanted.getAsBoolean()) {
        Thread.onSpinWait();
      }
      sawStop.set(true);
      return true; // a probe that had already booted its test guest may still say yes
    });
    assertThat(probing.await(30, TimeUnit.SECONDS)).isTrue();

    choice.close();

    assertThat(sawStop).as("close waited for the probe to clean up").isTrue();
    assertThat(choice.settled()).isDone();
    assertThat(choice.get()).as("no guest of a closed agent is switched").isEqualTo(VirtType.QEMU);
  }

  @Test
  void aFixedChoiceIsSettledAtOnceAndNeverChanges() {
    VirtTypeChoice kvm = VirtTypeChoice.fixed(VirtType.KVM);

    assertThat(kvm.settled()).isCompletedWithValue(VirtType.KVM);
    kvm.close();
    assertThat(kvm.get()).isEqualTo(VirtType.KVM);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
