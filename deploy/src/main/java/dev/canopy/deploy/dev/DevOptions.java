package dev.canopy.deploy.dev;

import dev.canopy.deploy.config.CanopyConfig;
import java.nio.file.Path;

/** What {@code canopy dev} was asked for: a data folder and the effective configuration. */
public record DevOptions(Path dataDir, CanopyConfig config) {}
