/**
 * The node role ({@link dev.canopy.deploy.node.NodeRole}: a node agent that enrolls with a token,
 * keeps a session with every controller, drives libvirt and meters its guests) and {@code canopy
 * node}, the process that runs it alone.
 */
package dev.canopy.deploy.node;
