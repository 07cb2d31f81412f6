/**
 * The cloud in a box ({@code canopy dev}): assembly of every role in one JVM, and its data-folder
 * files; also the parts every controller shares with it ({@link dev.canopy.deploy.dev.ControlServices},
 * {@link dev.canopy.deploy.dev.LeadershipPlane}, {@link dev.canopy.deploy.dev.AgentPlane}).
 */
package dev.canopy.deploy.dev;
