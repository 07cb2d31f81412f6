/**
 * The cloud's internal certificate authority: an EC P-256 key (sealed with the master key in
 * the grid) and a self-signed CA certificate, created at the cloud's first start; it issues the
 * role-and-id certificates of nodes, controllers and storage processes and verifies peers.
 */
package dev.canopy.cloud.ca;
