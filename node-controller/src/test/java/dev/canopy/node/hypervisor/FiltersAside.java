package dev.canopy.node.hypervisor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * libvirt's {@code test:///default} for domains and networks, with nwfilters kept here: the test
 * driver has no nwfilter driver (every virNWFilter call is VIR_ERR_NO_SUPPORT), so a test that
 * needs an agent's instance network on it keeps the filters beside it, as libvirtd would hold
 * them: by name, the newest definition winning. Everything else is real libvirt.
 *
 * <p>{@link #holdNextDefine} parks the next filter definition until released, so a test can put
 * another command in the middle of one.
 */
public final class FiltersAside extends ForwardingHypervisor {

  private final Map<String, String> filters = new LinkedHashMap<>();
  private CountDownLatch entered;
  private CountDownLatch release;

  public FiltersAside(Hypervisor testDriver) {
    super(testDriver);
  }

  /** On a new connection, with the filters an earlier one left (libvirtd keeps them across agent restarts). */
  public FiltersAside(Hypervisor testDriver, FiltersAside earlier) {
    super(testDriver);
    synchronized (earlier) {
      filters.putAll(earlier.filters);
    }
  }

  @Override
  public void defineFilter(String name, String filterXml) {
    CountDownLatch in;
    CountDownLatch out;
    synchronized (this) {
      in = entered;
      out = release;
      entered = null;
      release = null;
    }
    if (in != null) {
      in.countDown();
      try {
        if (!out.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a held filter definition was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    synchronized (this) {
      filters.put(name, filterXml);
    }
  }

  @Override
  public synchronized void undefineFilter(String name) {
    filters.remove(name);
  }

  /** The test driver itself, whose nwfilter calls all fail as unsupported. */
  public Hypervisor testDriver() {
    return delegate;
  }

  /** The filter's definition as the agent last wrote it. */
  public synchronized Optional<String> filter(String name) {
    return Optional.ofNullable(filters.get(name));
  }

  public synchronized Set<String> filterNames() {
    return Set.copyOf(filters.keySet());
  }

  /**
   * Parks the next {@link #defineFilter} until {@code release} counts down; {@code entered} counts
   * down once it is parked.
   */
  public synchronized void holdNextDefine(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
  }
}
