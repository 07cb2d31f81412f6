/**
 * The instance network a node agent owns on real libvirt: the NAT network and its DHCP
 * ({@link dev.canopy.node.network.NetworkXml}), per-instance addresses ({@link
 * dev.canopy.node.network.AddressBook}) and security groups as nwfilters ({@link
 * dev.canopy.node.network.FilterXml}).
 */
package dev.canopy.node.network;
