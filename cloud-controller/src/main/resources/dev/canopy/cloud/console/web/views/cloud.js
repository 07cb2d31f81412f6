// Operator: the cloud at a glance: controllers, the lease, the grid, the storage ring and the
// node agents with their capacity and use (each links to its node view).

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewLink } from "../lib/dom.js";

export const cloudView = {
  path: "cloud",
  title: "Cloud",
  audience: "operator",
  async render(root) {
    const answer = await api("GET", "/api/cloud");
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    const cloud = answer.json;
    const lease = cloud.lease ?? {};
    root.append(
      el("h2", {}, "Controllers"),
      table("controllers", [
        { title: "Id", value: (c) => String(c.id) },
        { title: "Up", value: (c) => (c.up ? "up" : "down") },
        { title: "Lease", value: (c) => (c.holder ? "holder" : "") },
        { title: "EC2", value: (c) => c.ec2 ?? "" },
        { title: "Console", value: (c) => c.console ?? "" },
      ], cloud.controllers ?? []),
      el("p", { id: "lease", "data-holder": lease.holder ?? "", "data-epoch": lease.epoch ?? "" },
        lease.holder === null || lease.holder === undefined
          ? "No lease holder known now."
          : "Lease holder: controller " + lease.holder + ", epoch " + lease.epoch + ", " + lease.remainingMs + " ms left."),
      el("p", { id: "grid" }, "Grid: " + cloud.grid.members + " member(s), " + (cloud.grid.majority ? "with" : "WITHOUT") + " a majority."),
      el("h2", {}, "Storage nodes"),
      table("storage", [
        { title: "Endpoint", value: (s) => s.endpoint },
        { title: "State", value: (s) => (s.up ? "up" : "not answering") },
        { title: "Node", value: (s) => s.node ?? "" },
        { title: "Ring version", value: (s) => (s.up ? String(s.ringVersion) : ""), class: "number" },
        { title: "Pending handoffs", value: (s) => (s.up ? String(s.handoffsPending) : ""), class: "number" },
      ], cloud.storage ?? []),
      table("ring", [
        { title: "Ring member", value: (m) => m.id },
        { title: "Address", value: (m) => m.address },
        { title: "Partitions owned", value: (m) => String(m.partitionsOwned), class: "number" },
      ], (cloud.storage ?? []).find((s) => s.up)?.members ?? []),
      el("h2", {}, "Node agents"),
      table("node-agents", [
        { title: "Node", value: (n) => viewLink(n.nodeId, "node", { id: n.nodeId }, { class: "resource" }) },
        { title: "Host", value: (n) => n.hostname },
        { title: "State", value: (n) => n.state },
        { title: "vCPUs", value: (n) => n.vcpusUsed + " / " + n.vcpusTotal, class: "number" },
        { title: "Memory MiB", value: (n) => n.memoryMibUsed + " / " + n.memoryMibTotal, class: "number" },
        { title: "Instances", value: (n) => String(n.instances), class: "number" },
        { title: "Last heartbeat", value: (n) => n.lastHeartbeat ?? "never" },
      ], cloud.nodes ?? []),
    );
  },
};
