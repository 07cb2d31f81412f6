/**
 * Logging helpers shared by every edge: {@link dev.canopy.api.log.LogText} escapes values a
 * client chose before they reach a log line, so that no request can forge log lines.
 */
package dev.canopy.api.log;
