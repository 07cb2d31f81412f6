/** {@code canopy node}: runs a node agent that enrolls with a token and talks to the controllers. */
package dev.canopy.deploy.node;
