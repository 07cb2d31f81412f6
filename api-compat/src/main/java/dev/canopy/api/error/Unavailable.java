package dev.canopy.api.error;

/**
 * Marks an exception that means a store or the grid cannot serve for now (an I/O failure, a closed or
 * unreachable store, a grid member that is stopping or sees no majority, a write fenced off by a
 * newer leader): nothing was done, and the same request may succeed later or on another
 * controller. Every API answers it as {@code 503 ServiceUnavailable} ({@link ServerFailures}).
 *
 * <p>An interface rather than a base class, so the exceptions of every module (the storage
 * service's {@code StoreException}, the controller's grid and fencing exceptions) can say so
 * without a common parent, and this module needs to know none of them.
 */
public interface Unavailable {}
