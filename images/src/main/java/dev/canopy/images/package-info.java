/**
 * Images: the catalog model (machine images, kernels, ramdisks, their owners and launch
 * permissions), image formats, and the node-side image cache with digest verification
 * ({@link dev.canopy.images.cache}).
 */
package dev.canopy.images;
