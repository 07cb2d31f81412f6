/**
 * The EC2 Query API: the server (SigV4, Query decoding, XML envelope, errors) and one action
 * family per file (parse, one domain call, render). This issue serves the region family.
 */
package dev.canopy.cloud.ec2;
