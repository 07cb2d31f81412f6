// Live updates: one EventSource on /api/events (Server-Sent Events, the session's cookie), closed
// when the view's signal aborts. The browser reconnects by itself after a drop and sends the last
// event id it saw, so the server resumes the event log where the page left it.

/**
 * Calls handler({ kind: "log", event }) for each new event of the log the session may see, and
 * handler({ kind: "sample", instanceId, timeMs }) when a metering sample of one of its instances
 * was stored (at most one per instance per 10 s). Returns the EventSource.
 */
export function subscribe(signal, handler) {
  const source = new EventSource("/api/events");
  source.addEventListener("log", (message) => handler({ kind: "log", event: JSON.parse(message.data) }));
  source.addEventListener("sample", (message) => handler({ kind: "sample", ...JSON.parse(message.data) }));
  signal.addEventListener("abort", () => source.close(), { once: true });
  return source;
}
