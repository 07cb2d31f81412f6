// Operator: every tenant's instances, searched (id, Name tag, IP) and filtered (account, state,
// node, type), a page at a time; each row's state follows the event log live.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewHref, viewLink } from "../lib/dom.js";
import { subscribe } from "../lib/live.js";
import { field, select } from "../lib/opforms.js";

const FILTERS = ["q", "account", "state", "node", "type"];
const STATES = ["", "pending", "running", "stopping", "stopped", "shutting-down", "terminated"];

export const allInstancesView = {
  path: "all-instances",
  title: "Instances",
  audience: "operator",
  async render(root, params, context) {
    const chosen = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ""]));
    const page = Number(params.get("page") ?? "1") || 1;
    root.append(searchForm(chosen));
    const query = new URLSearchParams(Object.entries(chosen).filter(([, value]) => value));
    query.set("page", String(page));
    const answer = await api("GET", "/api/admin/instances?" + query);
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    const { instances, total, pageSize } = answer.json;
    const list = table("all-instances", [
      { title: "Instance", value: (i) => i.instanceId },
      { title: "Name", value: (i) => i.name ?? "" },
      { title: "Account", value: (i) => i.accountName ?? i.accountId },
      { title: "State", value: (i) => i.state, class: "state" },
      { title: "Type", value: (i) => i.instanceType },
      { title: "Image", value: (i) => i.imageId },
      { title: "Node", value: (i) => (i.nodeId ? viewLink(i.nodeId, "node", { id: i.nodeId }, { class: "resource" }) : "") },
      { title: "IP", value: (i) => i.privateIp ?? "" },
      { title: "Launched", value: (i) => i.launchTime ?? "" },
    ], instances);
    [...list.tBodies[0].rows].forEach((row, index) => { row.dataset.instanceId = instances[index].instanceId; });
    const pages = Math.max(1, Math.ceil(total / pageSize));
    root.append(
      el("p", { id: "instances-total" }, total + " instance(s), page " + page + " of " + pages),
      list,
      el("nav", { class: "pages" },
        page > 1 ? viewLink("Previous page", "all-instances", { ...withValues(chosen), page: page - 1 }, { id: "previous-page" }) : null,
        page < pages ? viewLink("Next page", "all-instances", { ...withValues(chosen), page: page + 1 }, { id: "next-page" }) : null),
    );
    subscribe(context.signal, (update) => {
      if (update.kind !== "log" || update.event.type !== "instance.state") return;
      const row = [...list.tBodies[0].rows].find((candidate) => candidate.dataset.instanceId === update.event.subject);
      if (!row) return;
      const cell = row.querySelector("td.state");
      cell.textContent = update.event.detail.to;
      row.classList.add("changed");
    });
  },
};

function withValues(chosen) {
  return Object.fromEntries(Object.entries(chosen).filter(([, value]) => value));
}

/** The search and filters; submitting puts them in the address, which shows the view again. */
function searchForm(chosen) {
  const input = (name, label) => field(label, el("input", { name, id: "filter-" + name, value: chosen[name], size: 16 }));
  const form = el("form", { class: "inline", id: "instance-search" },
    input("q", "Search (id, Name, IP)"),
    input("account", "Account id"),
    field("State", select({ name: "state", id: "filter-state" }, STATES.map((s) => [s, s || "any"]), chosen.state)),
    input("node", "Node"),
    input("type", "Type"),
    el("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = Object.fromEntries(FILTERS.map((name) => [name, form.elements[name].value.trim()]));
    location.hash = viewHref("all-instances", withValues(values));
  });
  return form;
}
