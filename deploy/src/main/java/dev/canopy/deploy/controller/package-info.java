/**
 * The controller role ({@link dev.canopy.deploy.controller.ControllerRole}) and {@code canopy
 * controller}, the process that runs it alone: a grid member over the storage role's store, a
 * PaxosLease node, and the endpoints every controller serves (EC2, admin, management, the agent
 * port, the directory storage nodes read); leader work runs on the lease holder and leader-only
 * EC2 calls are forwarded to it. Its parts: {@link dev.canopy.deploy.controller.ControlServices},
 * {@link dev.canopy.deploy.controller.LeadershipPlane}, {@link dev.canopy.deploy.controller.AgentPlane},
 * {@link dev.canopy.deploy.controller.ComputePlane}.
 */
package dev.canopy.deploy.controller;
