/**
 * The node agent wired for real guests: {@link dev.canopy.node.guests.RealGuests} composes the
 * command handlers with the instance network and the image-backed disks.
 */
package dev.canopy.node.guests;
