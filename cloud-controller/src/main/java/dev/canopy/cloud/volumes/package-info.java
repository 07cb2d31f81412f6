/**
 * Volumes as EC2 shows them. Canopy has no separate block storage yet: each instance that is not
 * terminated has one root volume, derived from the instance (its id from the instance id, its
 * size from the instance type's disk), which goes away with the instance. Only tags are stored
 * (in the tag store, under the volume id).
 */
package dev.canopy.cloud.volumes;
