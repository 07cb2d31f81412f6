package dev.canopy.deploy.controller;

import dev.canopy.deploy.config.CanopyConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * How {@code canopy controller} runs.
 *
 * @param cloud the identity folder from {@code canopy init}
 * @param data this controller's own folder (incarnation counter, endpoints.json)
 * @param id this controller's id, 1..255, the same in every controller's {@code controllers}
 * @param controllers every controller's address by id, this one's included; its grid gateway
 *     (mutual TLS, in front of the member on its loopback alias) listens on port 5701 and its lease
 *     on 8776 there
 * @param storage the storage process's internal key-value URL
 * @param config the effective configuration; its bind address is this controller's address
 * @param skipDeadlineCheck test-only: lead past the lease's deadline (the stale-holder test)
 */
public record ControllerOptions(Path cloud, Path data, int id, SortedMap<Integer, String> controllers, URI storage,
    CanopyConfig config, boolean skipDeadlineCheck) {

  public static final int GRID_PORT = 5701;
}
