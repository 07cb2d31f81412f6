/**
 * Images: the catalog model (machine images, kernels, ramdisks, their owners and launch
 * permissions), image formats, and the node-side image cache with digest verification. Nothing
 * lives here yet; the compute issues fill it.
 */
package dev.canopy.images;
