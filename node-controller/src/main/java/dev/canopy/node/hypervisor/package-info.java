/**
 * The node agent's hypervisor side: a small {@link dev.canopy.node.hypervisor.Hypervisor}
 * interface with a libvirt adapter ({@link dev.canopy.node.hypervisor.LibvirtHypervisor}, always
 * behind {@link dev.canopy.node.hypervisor.BoundedHypervisor} so every call runs on a dedicated
 * bounded executor with a timeout), an in-memory {@link dev.canopy.node.hypervisor.FakeHypervisor}
 * for tests and simulations, and the libvirt domain XML Canopy writes
 * ({@link dev.canopy.node.hypervisor.DomainXml}) including the {@code <metadata>} element that
 * says which node and instance a domain belongs to. {@link dev.canopy.node.hypervisor.VirtTypeChoice}
 * is the virtualization type new guests get (which a background KVM probe may still be deciding);
 * {@link dev.canopy.node.hypervisor.GuestUser} is the user QEMU runs them as.
 *
 * <p>Nothing here knows about commands, epochs or the controller; the {@code commands} package
 * builds on it.
 */
package dev.canopy.node.hypervisor;
