/**
 * The HTTP view protocol code works on: {@link dev.canopy.api.http.RequestHead}, which holds no
 * HTTP-library type, and the percent-encoding rules AWS protocols use ({@link
 * dev.canopy.api.http.UriEncoding}). Adapters build a {@code RequestHead} from their own request
 * type, keeping path and query exactly as sent, so that signatures can be recomputed.
 *
 * <p>Also the one guard every listener puts in front of its connections: {@link
 * dev.canopy.api.http.ConnectionLimits} (caps per listener and per client address, idle and
 * request-head timeouts) enforced by {@link dev.canopy.api.http.ConnectionGuard}; and {@link
 * dev.canopy.api.http.SharedPortServers}, which serves a busy port from one event loop per core.
 */
package dev.canopy.api.http;
