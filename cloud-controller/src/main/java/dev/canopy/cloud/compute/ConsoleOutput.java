package dev.canopy.cloud.compute;

import java.time.Instant;

/**
 * GetConsoleOutput's answer.
 *
 * @param outputBase64 the newest serial console bytes, base64 (as EC2 returns them); null when the
 *     node has none or cannot be reached
 */
public record ConsoleOutput(String instanceId, Instant timestamp, String outputBase64) {}
