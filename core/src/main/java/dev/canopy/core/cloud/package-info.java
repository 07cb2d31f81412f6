/** Limits every module of a cloud must agree on, each in one place ({@link dev.canopy.core.cloud.CloudLimits}). */
package dev.canopy.core.cloud;
