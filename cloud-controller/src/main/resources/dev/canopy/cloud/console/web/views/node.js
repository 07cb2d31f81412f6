// Operator: the nodes, and one node (#/node?id=NODE&window=1h): its agent's state, capacity and
// load, the instances on it, and graphs of its CPU, memory, disks and network.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewLink } from "../lib/dom.js";
import { NODE_GRAPHS, WINDOWS, hostGraph, human, plot, summed, zoomGroup } from "../lib/hostplots.js";

export const nodeView = {
  path: "node",
  title: "Nodes",
  audience: "operator",
  async render(root, params, context) {
    const id = params.get("id");
    if (!id) return list(root);
    const window = WINDOWS[params.get("window")] ? params.get("window") : "1h";
    const answer = await api("GET", "/api/admin/hosts/" + encodeURIComponent(id));
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    const node = answer.json;
    root.append(
      el("h2", { id: "node-title" }, "Node " + node.nodeId + " (" + node.hostname + ")"),
      el("dl", { id: "node-facts", class: "facts" },
        el("dt", {}, "State"), el("dd", { "data-fact": "state" }, node.state),
        el("dt", {}, "Zone"), el("dd", { "data-fact": "zone" }, node.zone),
        el("dt", {}, "Capacity"), el("dd", { "data-fact": "capacity" },
          node.capacity ? node.capacity.vcpus + " vCPUs, " + node.capacity.memoryMib + " MiB, " + node.capacity.diskGib + " GiB" : ""),
        el("dt", {}, "Load"), el("dd", { "data-fact": "load" },
          node.load ? "load average " + node.load.loadAverage.toFixed(2) + ", " + node.load.memoryUsedMib + " MiB used" : ""),
        el("dt", {}, "Last heartbeat"), el("dd", { "data-fact": "heartbeat" }, node.lastHeartbeat ?? "never")),
      el("h3", {}, "Instances"),
      table("node-instances", [
        { title: "Instance", value: (i) => i.instanceId },
        { title: "Account", value: (i) => i.accountId },
        { title: "State", value: (i) => i.state },
        { title: "Type", value: (i) => i.type },
      ], node.instances),
      el("p", { id: "node-windows", class: "windows" }, "Window: ",
        Object.keys(WINDOWS).map((name) => viewLink(name, "node", { id, window: name },
          { "data-window": name, class: name === window ? "current" : "" }))),
    );
    const to = Math.floor(Date.now() / 1000);
    const from = to - WINDOWS[window];
    const graph = await hostGraph(id, from, to, Math.max(10, WINDOWS[window] / 360), ["cpu", "mem", "disk", "net"]);
    if (context.signal.aborted) return;
    if (!graph) {
      root.append(problem("The host metrics cannot be read now."));
      return;
    }
    const zoom = zoomGroup();
    for (const spec of NODE_GRAPHS) {
      const columns = [graph.times, ...spec.lines.map(([, matches]) => summed(graph, matches))];
      root.append(plot("graph-" + spec.group, spec.title, columns, spec.lines.map(([label]) => label), "node-" + id, zoom).section);
    }
  },
};

async function list(root) {
  const answer = await api("GET", "/api/admin/hosts");
  if (answer.status !== 200) {
    root.append(problem(failure(answer)));
    return;
  }
  root.append(
    el("h2", {}, "Nodes"),
    table("nodes", [
      { title: "Node", value: (n) => viewLink(n.nodeId, "node", { id: n.nodeId }, { "data-node": n.nodeId }) },
      { title: "Host", value: (n) => n.hostname },
      { title: "Zone", value: (n) => n.zone },
      { title: "State", value: (n) => n.state },
      { title: "vCPUs", value: (n) => n.capacity?.vcpus ?? "", class: "number" },
      { title: "Memory", value: (n) => (n.capacity ? human(n.capacity.memoryMib * 1048576) + "B" : ""), class: "number" },
      { title: "Domains", value: (n) => n.domains, class: "number" },
      { title: "Last heartbeat", value: (n) => n.lastHeartbeat ?? "never" },
    ], answer.json.nodes),
    el("p", {}, viewLink("Correlate nodes", "correlate"), " · ", viewLink("Latency", "latency")));
}
