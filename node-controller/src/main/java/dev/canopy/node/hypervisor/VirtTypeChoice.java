package dev.canopy.node.hypervisor;

import dev.canopy.core.time.Futures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtualization type new guests get, which a probe may still be deciding. Until a probe
 * settles, guests run under {@link VirtType#QEMU}: emulation always works, so a launch never waits
 * for the probe and an agent's start never waits for it either. A guest launched before a probe
 * found KVM keeps QEMU until it is next started.
 *
 * <pre>
 * fixed(type)      get() = type, settled at once
 * probing          get() = QEMU  --probe says yes-->  KVM, settled
 *                                --probe says no, fails or is closed-->  QEMU, settled
 * </pre>
 */
public final class VirtTypeChoice implements Supplier<VirtType>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VirtTypeChoice.class);
  /** How long close waits for a running probe to remove its domain before the connection goes. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

  private final CompletableFuture<VirtType> settled = new CompletableFuture<>();
  private volatile VirtType current;
  private volatile boolean closed;

  private VirtTypeChoice(VirtType initial) {
    this.current = initial;
  }

  public static VirtTypeChoice fixed(VirtType type) {
    VirtTypeChoice choice = new VirtTypeChoice(type);
    choice.settled.complete(type);
    return choice;
  }

  /**
   * Runs {@code kvmWorks} on {@code executor} and returns at once. The probe is handed a signal
   * that turns false when the choice is closed, so it can stop early (and still clean up).
   */
  public static VirtTypeChoice probing(Executor executor, Predicate<BooleanSupplier> kvmWorks) {
    VirtTypeChoice choice = new VirtTypeChoice(VirtType.QEMU);
    executor.execute(() -> {
      boolean works = false;
      try {
        works = kvmWorks.test(() -> !choice.closed);
      } catch (RuntimeException e) {
        // The probe's own failures are answers ("no"); this is a bug in it, so say so loudly.
        LOG.error("virtualization: the KVM probe failed unexpectedly; guests run under QEMU emulation", e);
      } finally {
        choice.current = works && !choice.closed ? VirtType.KVM : VirtType.QEMU;
        choice.settled.complete(choice.current);
      }
    });
    return choice;
  }

  /** The type a guest defined now gets. */
  @Override
  public VirtType get() {
    return current;
  }

  /** Completes with the final type once any probe has finished. */
  public CompletableFuture<VirtType> settled() {
    return settled;
  }

  /** Tells a running probe to stop and waits (bounded) until it has cleaned up. */
  @Override
  public void close() {
    closed = true;
    try {
      Futures.await(settled, CLOSE_WAIT, "the KVM probe");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | TimeoutException e) {
      LOG.warn("virtualization: the KVM probe did not finish within {}; a start will remove its domain", CLOSE_WAIT);
    }
  }
}
