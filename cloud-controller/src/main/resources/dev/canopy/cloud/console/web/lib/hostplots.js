// Host metrics for the operator's node and correlate views: fetching a node's graph columns
// (/api/admin/hosts/{node}/metrics) and drawing uPlots that share a cursor and a zoom.

import { api } from "./api.js";
import { el } from "./dom.js";

/** The windows a user picks from, in seconds. */
export const WINDOWS = { "15m": 900, "1h": 3600, "6h": 21600, "24h": 86400 };

/** A node's graph: { times, series: [{ name, group, unit, values }] }, or null with the failure's answer. */
export async function hostGraph(nodeId, from, to, step, metrics) {
  const query = new URLSearchParams({ from: String(from), to: String(to), step: String(step), metric: metrics.join(",") });
  const answer = await api("GET", "/api/admin/hosts/" + encodeURIComponent(nodeId) + "/metrics?" + query);
  return answer.status === 200 ? answer.json : null;
}

/** Sums the values of the series named by `matches` at each time (null where all are null). */
export function summed(graph, matches) {
  const lines = graph.series.filter((line) => matches(line.name));
  return graph.times.map((_, i) => {
    let total = null;
    for (const line of lines) {
      const value = line.values[i];
      if (value !== null && value !== undefined) total = (total ?? 0) + value;
    }
    return total;
  });
}

/** The one figure per host each metric of a correlated plot shows. */
export const HOST_FIGURES = {
  cpu: { title: "CPU busy (fraction)", of: (g) => summed(g, (n) => n === "cpu.idle").map((v) => (v === null ? null : 1 - v)) },
  mem: { title: "Memory used (bytes)", of: (g) => summed(g, (n) => n === "mem.used") },
  disk: { title: "Disk read + write (bytes/s)", of: (g) => summed(g, (n) => n.startsWith("disk.") && n.endsWith("Bytes")) },
  net: { title: "Network rx + tx (bytes/s)", of: (g) => summed(g, (n) => n.startsWith("net.") && n.endsWith("Bytes")) },
};

/** The node view's four graphs: which series each draws. */
export const NODE_GRAPHS = [
  { group: "cpu", title: "CPU (fraction of all CPUs)", lines: [
    ["user", (n) => n === "cpu.user"], ["system", (n) => n === "cpu.system"],
    ["iowait", (n) => n === "cpu.iowait"], ["steal", (n) => n === "cpu.steal"]] },
  { group: "mem", title: "Memory (bytes)", lines: [
    ["used", (n) => n === "mem.used"], ["available", (n) => n === "mem.available"], ["swap used", (n) => n === "mem.swapUsed"]] },
  { group: "disk", title: "Disks (bytes/s, all devices)", lines: [
    ["read", (n) => n.startsWith("disk.") && n.endsWith(".readBytes")], ["write", (n) => n.startsWith("disk.") && n.endsWith(".writeBytes")]] },
  { group: "net", title: "Network (bytes/s, host interfaces)", lines: [
    ["rx", (n) => n.startsWith("net.") && n.endsWith(".rxBytes")], ["tx", (n) => n.startsWith("net.") && n.endsWith(".txBytes")]] },
];

const COLOURS = ["#24492c", "#c8553d", "#2f6690", "#b08a1e", "#7a3b69", "#3a7d44", "#6c757d", "#d17a22"];

/**
 * A plot in a new <div id=id> with data-series (lines drawn) and data-points (non-null values):
 * columns is [times, ...values], labels one per value column. Plots with the same `sync` key share
 * the cursor (uPlot's cursor.sync) and, through `zoomGroup`, the x zoom.
 */
export function plot(id, title, columns, labels, sync, zoomGroup) {
  const points = columns.slice(1).reduce((n, values) => n + values.filter((v) => v !== null && v !== undefined).length, 0);
  const holder = el("div", { id, class: "host-plot", "data-series": String(labels.length), "data-points": String(points) });
  const section = el("section", { class: "host-graph" }, el("h3", {}, title), holder);
  const options = {
    width: 760, height: 200,
    cursor: sync ? { sync: { key: sync } } : {},
    series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], spanGaps: false }))],
    hooks: zoomGroup ? { setScale: [(u, key) => zoomGroup.scaled(u, key)] } : {},
  };
  const chart = new uPlot(options, columns, holder);
  zoomGroup?.add(chart);
  return { section, chart };
}

/** Keeps the x scale of its plots together: zooming one zooms them all. */
export function zoomGroup() {
  const charts = [];
  let syncing = false;
  return {
    add(chart) { charts.push(chart); },
    scaled(source, key) {
      if (key !== "x" || syncing) return;
      syncing = true;
      try {
        const { min, max } = source.scales.x;
        for (const chart of charts) if (chart !== source) chart.setScale("x", { min, max });
      } finally {
        syncing = false;
      }
    },
  };
}

/** Bytes and rates as people read them. */
export function human(value) {
  if (value === null || value === undefined) return "";
  const units = ["", "Ki", "Mi", "Gi", "Ti"];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (Math.round(v * 10) / 10) + " " + units[i];
}
