/**
 * What every kind of cloud resource shares: AWS-format resource ids and EC2's filter semantics
 * (AND across filters, OR across values, '*' and '?' wildcards). No dependencies on the API
 * layer, so domain packages and the EC2 families can both use it.
 */
package dev.canopy.cloud.resources;
