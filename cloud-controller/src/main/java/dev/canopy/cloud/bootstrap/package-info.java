/**
 * A cloud's identity, created at its first start: its public name and the master-key
 * check value that stops a process started with a foreign key.
 */
package dev.canopy.cloud.bootstrap;
