// Operator: nodes ranked by how inflated their latency is against their zone's peers (WhyHigh):
// heartbeat round trips, command latency, and API latency by client network, with the likely cause.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewLink } from "../lib/dom.js";

const ms = (value) => (value === null || value === undefined ? "" : value < 10 ? value.toFixed(2) : value.toFixed(0));
const times = (value) => (value === null || value === undefined ? "" : value.toFixed(2) + "×");

export const latencyView = {
  path: "latency",
  title: "Latency",
  audience: "operator",
  async render(root) {
    const answer = await api("GET", "/api/admin/latency");
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    const report = answer.json;
    let rank = 0;
    root.append(
      el("h2", {}, "Latency"),
      el("p", {}, "Over the last " + report.windowMinutes + " minutes; inflation is a node's median (or p90) over its zone's."),
      table("latency-nodes", [
        { title: "#", value: () => String(++rank), class: "number" },
        { title: "Node", value: (n) => viewLink(n.nodeId, "node", { id: n.nodeId }, { "data-node": n.nodeId }) },
        { title: "Zone", value: (n) => n.zone },
        { title: "Heartbeat p50 / p90 (ms)", value: (n) => ms(n.heartbeat.p50) + " / " + ms(n.heartbeat.p90), class: "number" },
        { title: "Command p50 (ms)", value: (n) => ms(n.command.p50), class: "number" },
        { title: "Pings lost", value: (n) => n.pingsLost + " of " + n.pingsSent, class: "number" },
        { title: "Inflation", value: (n) => el("span", { "data-inflation": n.inflation ?? "" }, times(n.inflation)), class: "number" },
        { title: "Likely cause", value: (n) => n.cause },
      ], report.nodes),
      el("h3", {}, "API latency by client network"),
      table("latency-networks", [
        { title: "API", value: (r) => r.api },
        { title: "Network", value: (r) => r.network },
        { title: "p50 / p90 (ms)", value: (r) => ms(r.latency.p50) + " / " + ms(r.latency.p90), class: "number" },
        { title: "Requests", value: (r) => String(r.latency.count), class: "number" },
        { title: "Inflation", value: (r) => times(r.inflation), class: "number" },
      ], report.networks),
      el("h3", {}, "Controllers"),
      table("latency-controllers", [
        { title: "Controller", value: (c) => c.controllerId },
        { title: "Heartbeat p50 / p90 (ms)", value: (c) => ms(c.heartbeat.p50) + " / " + ms(c.heartbeat.p90), class: "number" },
        { title: "Slow", value: (c) => (c.slow ? "yes" : "") },
      ], report.controllers));
    const rows = root.querySelectorAll("#latency-nodes tbody tr");
    rows.forEach((row, i) => row.setAttribute("data-rank", String(i + 1)));
  },
};
