package dev.canopy.node.hypervisor;

import java.util.List;
import java.util.Optional;

/** A {@link Hypervisor} that hands every call to another; tests override the calls they change. */
public abstract class ForwardingHypervisor implements Hypervisor {

  protected final Hypervisor delegate;

  protected ForwardingHypervisor(Hypervisor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void define(String domainXml) {
    delegate.define(domainXml);
  }

  @Override
  public void start(String name) {
    delegate.start(name);
  }

  @Override
  public void shutdown(String name) {
    delegate.shutdown(name);
  }

  @Override
  public void destroy(String name) {
    delegate.destroy(name);
  }

  @Override
  public void reboot(String name) {
    delegate.reboot(name);
  }

  @Override
  public void undefine(String name) {
    delegate.undefine(name);
  }

  @Override
  public DomainState state(String name) {
    return delegate.state(name);
  }

  @Override
  public Optional<DomainSummary> find(String name) {
    return delegate.find(name);
  }

  @Override
  public List<DomainSummary> list() {
    return delegate.list();
  }

  @Override
  public Optional<GuestStats> stats(String name) {
    return delegate.stats(name);
  }

  @Override
  public void ensureNetwork(String name, String networkXml) {
    delegate.ensureNetwork(name, networkXml);
  }

  @Override
  public void defineFilter(String name, String filterXml) {
    delegate.defineFilter(name, filterXml);
  }

  @Override
  public void undefineFilter(String name) {
    delegate.undefineFilter(name);
  }

  @Override
  public HostInfo hostInfo() {
    return delegate.hostInfo();
  }

  @Override
  public String capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
