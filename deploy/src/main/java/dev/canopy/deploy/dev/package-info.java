/** The cloud in a box ({@code canopy dev}): assembly of every role in one JVM, and its data-folder files. */
package dev.canopy.deploy.dev;
