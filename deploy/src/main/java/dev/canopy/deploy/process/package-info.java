/**
 * What every Canopy process shares, whichever roles it runs: the {@link
 * dev.canopy.deploy.process.Role} contract, the {@link dev.canopy.deploy.process.ProcessParts} a
 * process hands its roles (one Vert.x, one clock, one source of randomness, one meter registry),
 * the identity bundle {@code canopy init} writes ({@link dev.canopy.deploy.process.CloudBundle}),
 * the data folder's files for people and scripts ({@link dev.canopy.deploy.process.CloudFiles}) and
 * the stack that stops a role's listeners newest first ({@link dev.canopy.deploy.process.ServerStack}).
 */
package dev.canopy.deploy.process;
