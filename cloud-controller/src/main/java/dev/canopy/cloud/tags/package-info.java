/** Tags on EC2 resources, scoped to the owning account, kept on the grid. */
package dev.canopy.cloud.tags;
