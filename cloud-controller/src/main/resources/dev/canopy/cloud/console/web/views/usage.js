// Tenant: the month's usage per resource and SKU with its cost; an instance's traffic graph.

import { api } from "../lib/api.js";
import { el, table, viewLink } from "../lib/dom.js";
import { subscribe } from "../lib/live.js";

export const usageView = {
  path: "usage",
  title: "Usage",
  audience: "tenant",
  async render(root, params, context) {
    const month = params.get("month") ?? new Date().toISOString().slice(0, 7);
    const answer = await api("GET", "/api/usage/summary?month=" + encodeURIComponent(month));
    const summary = answer.json;
    root.append(
      el("h2", { id: "usage-title" }, "Usage of " + month),
      el("p", { id: "usage-total" }, summary?.cost !== undefined ? "Total: " + summary.cost + " " + summary.currency : "No usage readable now."),
      table("usage", [
        { title: "Resource", value: (total) => total.resourceType === "Instance"
          ? viewLink(total.resourceId, "usage", { month, instance: total.resourceId }, { class: "resource" })
          : total.resourceId },
        { title: "SKU", value: (total) => total.skuId },
        { title: "Quantity", value: (total) => total.consumedQuantity + " " + total.consumedUnit, class: "number" },
        { title: "Cost", value: (total) => total.cost, class: "number" },
      ], summary?.resources ?? []));
    const instance = params.get("instance");
    if (instance) {
      let graph = await trafficGraph(instance);
      root.append(graph);
      // A stored sample of this instance: draw the graph again (at most every 10 s, the server's throttle).
      subscribe(context.signal, async (update) => {
        if (update.kind !== "sample" || update.instanceId !== instance) return;
        const fresh = await trafficGraph(instance);
        if (context.signal.aborted) return;
        graph.replaceWith(fresh);
        graph = fresh;
      });
    }
  },
};

/** The instance's traffic of the last hour per minute, bytes in and out summed over its vNICs. */
async function trafficGraph(instanceId) {
  const section = el("section", {});
  const answer = await api("GET", "/api/usage/instances/" + encodeURIComponent(instanceId) + "?step=60");
  if (answer.status !== 200) return section;
  const byTime = new Map();
  for (const line of answer.json.series) {
    const index = { rxBytes: 1, txBytes: 2 }[line.metric];
    if (!index) continue;
    for (const [second, value] of line.points) {
      const point = byTime.get(second) ?? [second, 0, 0];
      point[index] += value;
      byTime.set(second, point);
    }
  }
  const points = [...byTime.values()].sort((a, b) => a[0] - b[0]);
  const data = [points.map((p) => p[0]), points.map((p) => p[1]), points.map((p) => p[2])];
  const graph = el("div", { id: "graph", "data-points": String(points.length) });
  section.append(el("h3", { id: "graph-title" }, "Traffic of " + instanceId + " (bytes per minute)"), graph);
  new uPlot({
    width: 720, height: 280,
    series: [{}, { label: "in", stroke: "#24492c" }, { label: "out", stroke: "#c8553d" }],
  }, data, graph);
  return section;
}
