/**
 * {@code canopy controller}: one controller of a multi-controller cloud — a grid member over the
 * storage process's store, a PaxosLease node, and the endpoints every controller serves; leader
 * work runs on the lease holder and leader-only EC2 calls are forwarded to it.
 */
package dev.canopy.deploy.controller;
