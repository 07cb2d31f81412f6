// Operator (every event) and tenant (its own account's and instances'): the event log, newest
// last, filtered by type; new events are appended live.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewHref } from "../lib/dom.js";
import { subscribe } from "../lib/live.js";
import { field, select } from "../lib/opforms.js";

const TYPES = ["", "instance", "account", "key", "node", "lease"];
const SHOWN_MAX = 500;

export const eventsView = {
  path: "events",
  title: "Events",
  audience: "both",
  async render(root, params, context) {
    const type = params.get("type") ?? "";
    const picker = select({ id: "event-type" }, TYPES.map((t) => [t, t || "all types"]), type);
    picker.addEventListener("change", () => { location.hash = viewHref("events", picker.value ? { type: picker.value } : {}); });
    root.append(el("form", { class: "inline" }, field("Type", picker)));
    const events = await recent(type);
    if (events === null) {
      root.append(problem("The event log cannot be read now."));
      return;
    }
    const columns = [
      { title: "Seq", value: (e) => String(e.seq), class: "number" },
      { title: "Time", value: (e) => e.time },
      { title: "Type", value: (e) => e.type },
      { title: "Subject", value: (e) => e.subject },
      { title: "Account", value: (e) => e.accountId ?? "" },
      { title: "Detail", value: (e) => Object.entries(e.detail ?? {}).map(([k, v]) => k + "=" + v).join(" ") },
    ];
    const log = table("event-log", columns, events);
    root.append(log);
    const body = log.tBodies[0];
    const matches = (event) => !type || event.type === type || event.type.startsWith(type + ".");
    subscribe(context.signal, (update) => {
      if (update.kind !== "log" || !matches(update.event)) return;
      const row = table("scratch", columns, [update.event]).tBodies[0].rows[0];
      row.dataset.seq = String(update.event.seq);
      body.append(row);
      while (body.rows.length > SHOWN_MAX) body.deleteRow(0);
    });
  },
};

/** The newest events of the log (up to SHOWN_MAX), read forwards in pages from the start it keeps. */
async function recent(type) {
  let after = 0;
  let events = [];
  for (let pages = 0; pages < 200; pages++) {
    const query = new URLSearchParams({ after: String(after), limit: "1000" });
    if (type) query.set("type", type);
    const answer = await api("GET", "/api/events/log?" + query);
    if (answer.status !== 200) return pages === 0 ? null : events;
    events = events.concat(answer.json.events).slice(-SHOWN_MAX);
    if (answer.json.last === after) break;
    after = answer.json.last;
  }
  return events;
}
