/**
 * The console's view of the event log: {@code GET /api/events/log} (pages of the log) and {@code GET
 * /api/events} (Server-Sent Events: the log's new events and metering-sample notices, for the
 * session's audience), fed on each controller by one poller of the grid's log and one listener of
 * the grid's sample-notice topic, so every controller serves every event.
 */
package dev.canopy.cloud.eventsapi;
