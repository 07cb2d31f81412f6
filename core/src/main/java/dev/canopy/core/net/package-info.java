/** Calls between Canopy's roles: the one HTTP client shape they share over mutual TLS. */
package dev.canopy.core.net;
