/**
 * The cloud in a box ({@code canopy dev}): {@link dev.canopy.deploy.dev.DevCloud} starts the three
 * roles — {@link dev.canopy.deploy.storage.StorageRole}, {@link
 * dev.canopy.deploy.controller.ControllerRole}, {@link dev.canopy.deploy.node.NodeRole} — in one
 * JVM over one data folder, creating the cloud at the first start as {@code canopy init} does;
 * nothing here that a multi-process cloud does not also run.
 */
package dev.canopy.deploy.dev;
