/**
 * What the agent does with controller commands: one {@link dev.canopy.node.protocol.CommandHandler}
 * per {@link dev.canopy.node.protocol.CommandTypes} value, each with narrow dependencies; the
 * {@link dev.canopy.node.commands.CommandDispatcher} in front of them (epoch fencing, duplicate
 * command ids, unknown types; it never throws); the {@link dev.canopy.node.commands.DomainInventory}
 * heartbeats report; and {@link dev.canopy.node.commands.NodeCompute}, which wires it all from
 * {@link dev.canopy.node.commands.NodeSettings}.
 *
 * <p>Handlers block on the hypervisor; the agent runtime calls the dispatcher from a worker
 * thread, never from an event loop.
 */
package dev.canopy.node.commands;
