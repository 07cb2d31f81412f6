/**
 * EC2 key pairs: the domain ({@link dev.canopy.cloud.keypairs.KeyPairService}: create, import,
 * describe, delete, scoped to the owning account), OpenSSH key encoding and AWS's fingerprints
 * ({@link dev.canopy.cloud.keypairs.SshKeys}), and the lookup other code uses
 * ({@link dev.canopy.cloud.keypairs.KeyPairs}). Private keys are returned once and never stored;
 * only the OpenSSH public key line is kept, for the node agent to put into the guest's seed.
 */
package dev.canopy.cloud.keypairs;
