/**
 * The cloud in a box ({@code canopy dev}): assembly of every role in one JVM, and its data-folder
 * files; also the parts every controller shares with it ({@link dev.canopy.deploy.controller.ControlServices},
 * {@link dev.canopy.deploy.controller.LeadershipPlane}, {@link dev.canopy.deploy.controller.AgentPlane}).
 */
package dev.canopy.deploy.dev;
