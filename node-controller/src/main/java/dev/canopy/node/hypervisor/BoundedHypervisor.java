package dev.canopy.node.hypervisor;

import dev.canopy.core.time.Futures;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every call of another {@link Hypervisor} on a dedicated, bounded executor and waits at most
 * a fixed time for it.
 *
 * <p>Why: a libvirt call can hang (a wedged qemu, a stuck storage backend) and JNA calls cannot be
 * interrupted. The caller gets {@link HypervisorException.Kind#TIMEOUT} instead of hanging; the
 * stuck call keeps one executor thread, and once all threads and the queue are taken new calls
 * fail fast with {@link HypervisorException.Kind#BUSY}. Calls from a Vert.x event loop are a bug
 * (they would block it for up to the timeout) and throw {@link IllegalStateException}.
 */
public final class BoundedHypervisor implements Hypervisor {

  private static final Logger log = LoggerFactory.getLogger(BoundedHypervisor.class);

  private final Hypervisor delegate;
  private final ThreadPoolExecutor executor;
  private final long callTimeoutNanos;

  private BoundedHypervisor(Hypervisor delegate, ThreadPoolExecutor executor, Duration callTimeout) {
    this.delegate = delegate;
    this.executor = executor;
    this.callTimeoutNanos = callTimeout.toNanos();
  }

  /** Wraps an open hypervisor. */
  public static BoundedHypervisor wrap(Hypervisor delegate, HypervisorSettings settings) {
    return new BoundedHypervisor(delegate, newExecutor(settings), settings.callTimeout());
  }

  /**
   * Opens a hypervisor on the executor itself, so that even connecting (which can hang on an
   * unresponsive libvirtd) is bounded by the call timeout.
   */
  public static BoundedHypervisor open(Supplier<Hypervisor> opener, HypervisorSettings settings) {
    ThreadPoolExecutor executor = newExecutor(settings);
    try {
      Hypervisor delegate = await("open", executor, opener, settings.callTimeout().toNanos());
      return new BoundedHypervisor(delegate, executor, settings.callTimeout());
    } catch (RuntimeException | Error e) {
      executor.shutdownNow();
      throw e;
    }
  }

  @Override
  public void define(String domainXml) {
    run("define", () -> delegate.define(domainXml));
  }

  @Override
  public void start(String name) {
    run("start", () -> delegate.start(name));
  }

  @Override
  public void shutdown(String name) {
    run("shutdown", () -> delegate.shutdown(name));
  }

  @Override
  public void destroy(String name) {
    run("destroy", () -> delegate.destroy(name));
  }

  @Override
  public void reboot(String name) {
    run("reboot", () -> delegate.reboot(name));
  }

  @Override
  public void undefine(String name) {
    run("undefine", () -> delegate.undefine(name));
  }

  @Override
  public DomainState state(String name) {
    return call("state", () -> delegate.state(name));
  }

  @Override
  public Optional<DomainSummary> find(String name) {
    return call("find", () -> delegate.find(name));
  }

  @Override
  public List<DomainSummary> list() {
    return call("list", delegate::list);
  }

  @Override
  public Optional<GuestStats> stats(String name) {
    return call("stats", () -> delegate.stats(name));
  }

  @Override
  public void ensureNetwork(String name, String networkXml) {
    run("ensureNetwork", () -> delegate.ensureNetwork(name, networkXml));
  }

  @Override
  public void defineFilter(String name, String filterXml) {
    run("defineFilter", () -> delegate.defineFilter(name, filterXml));
  }

  @Override
  public void undefineFilter(String name) {
    run("undefineFilter", () -> delegate.undefineFilter(name));
  }

  @Override
  public HostInfo hostInfo() {
    return call("hostInfo", delegate::hostInfo);
  }

  @Override
  public String capabilities() {
    return call("capabilities", delegate::capabilities);
  }

  @Override
  public void close() {
    try {
      run("close", delegate::close);
    } catch (HypervisorException e) {
      // A wedged connection must not keep the agent from shutting down.
      log.warn("closing the hypervisor connection failed: {}", e.getMessage());
    } finally {
      // A call stuck in native code keeps its (daemon) thread; nothing more can be done for it.
      executor.shutdownNow();
    }
  }

  private void run(String operation, Runnable body) {
    call(operation, () -> {
      body.run();
      return null;
    });
  }

  private <T> T call(String operation, Supplier<T> body) {
    return await(operation, executor, body, callTimeoutNanos);
  }

  private static <T> T await(String operation, ThreadPoolExecutor executor, Supplier<T> body, long timeoutNanos) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("hypervisor call '" + operation + "' on a Vert.x event loop; run it on a worker");
    }
    Future<T> future;
    try {
      future = executor.submit(body::get);
    } catch (RejectedExecutionException e) {
      throw HypervisorException.of(HypervisorException.Kind.BUSY, operation,
          "too many hypervisor calls waiting (" + executor.getQueue().size() + " queued)");
    }
    try {
      // The wait cancels the call on a timeout or an interrupt; a failure comes out as itself.
      return Futures.awaitTask(future, Duration.ofNanos(timeoutNanos), "hypervisor call '" + operation + "'");
    } catch (TimeoutException e) {
      throw HypervisorException.of(HypervisorException.Kind.TIMEOUT, operation,
          "no answer from the hypervisor within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HypervisorException.of(HypervisorException.Kind.TIMEOUT, operation, "interrupted while waiting");
    }
  }

  private static ThreadPoolExecutor newExecutor(HypervisorSettings settings) {
    AtomicInteger counter = new AtomicInteger();
    return new ThreadPoolExecutor(
        settings.threads(),
        settings.threads(),
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(settings.queueCapacity()),
        r -> {
          Thread t = new Thread(r, "canopy-hypervisor-" + counter.incrementAndGet());
          // A call stuck in libvirt must not keep the JVM from exiting.
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }
}
