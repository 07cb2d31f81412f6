package dev.canopy.node.protocol;

import java.util.List;

/**
 * Answer to a successful enrollment.
 *
 * @param certificatePem the node's certificate (SAN {@code canopy:node:<nodeId>})
 * @param caPem the cloud's CA certificate
 * @param controllers agent-port URLs of the cloud's current controllers, in preference order
 */
public record EnrollResponse(String nodeId, String certificatePem, String caPem, List<String> controllers) {}
