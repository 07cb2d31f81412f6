/** The {@code canopy} launcher: picocli entry point and its subcommands. */
package dev.canopy.deploy;
