/**
 * The master key and the encryption of secrets at rest (AES-256-GCM), and the writing of files
 * that hold secrets (mode 0600, fsynced). Nothing here logs key material.
 */
package dev.canopy.cloud.crypto;
