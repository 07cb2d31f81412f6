// Tenant: my instances, with a filter box, a launch form, stop/start/reboot/terminate (terminate
// asks first), console output, and a link to each instance's traffic graph. The list refreshes
// itself when the event log says an instance changed state, and every 30 s (watchInstances); each row carries data-instance-id and data-state.

import { el, problem, viewHref, viewLink } from "../lib/dom.js";
import { subscribe } from "../lib/live.js";
import { confirmButton, ec2, items, notice, say, tag, text } from "../lib/portal.js";

const REFRESH_MS = 30000;

export const instancesView = {
  path: "instances",
  title: "Instances",
  audience: "tenant",
  async render(root, params, context) {
    const status = notice("instances-notice");
    const filter = el("input", { id: "instance-filter", type: "search", placeholder: "Filter by id, name, state, type, image or address",
      value: params.get("q") ?? "" });
    const body = el("tbody", { id: "instance-rows" });
    const list = el("table", { id: "instances" },
      el("thead", {}, el("tr", {}, ["Id", "Name", "State", "Type", "Image", "Private IP", "Public IP", "Launched", "Actions"]
        .map((title) => el("th", {}, title)))),
      body);
    const output = el("section", { id: "console-section" });
    const refresh = async () => {
      const answer = await ec2("DescribeInstances");
      if (!answer.ok) {
        say(status, answer.message, true);
        return;
      }
      showRows(body, instancesOf(answer.doc), filter.value, { status, output, refresh });
    };
    filter.addEventListener("input", () => {
      // The filter is part of the address (a link reproduces the view) without re-rendering it.
      history.replaceState(null, "", viewHref("instances", filter.value ? { q: filter.value } : {}));
      applyFilter(body, filter.value);
    });
    root.append(
      el("h2", {}, "Instances"),
      await launchForm(status, refresh),
      status,
      filter,
      list,
      output);
    await refresh();
    watchInstances(refresh, context.signal);
  },
};

/**
 * Refreshes the list when the event log says one of the tenant's instances changed state (pushed
 * over /api/events), and every 30 s besides (what the log does not carry: addresses assigned on
 * the node); stops when signal aborts (the user left the view).
 */
export function watchInstances(refresh, signal) {
  subscribe(signal, (update) => {
    if (update.kind === "log" && update.event.type === "instance.state") refresh().catch(() => {});
  });
  const timer = setInterval(() => {
    refresh().catch(() => {});
  }, REFRESH_MS);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}

function instancesOf(doc) {
  return items(doc, "reservationSet").flatMap((reservation) => [...reservation.children]
    .filter((child) => child.localName === "instancesSet")
    .flatMap((set) => [...set.children].filter((item) => item.localName === "item")))
    .map((item) => ({
      id: text(item, "instanceId"),
      name: tag(item, "Name"),
      state: text([...item.children].find((child) => child.localName === "instanceState"), "name"),
      type: text(item, "instanceType"),
      image: text(item, "imageId"),
      privateIp: text(item, "privateIpAddress"),
      publicIp: text(item, "ipAddress"),
      launched: text(item, "launchTime"),
    }));
}

/** Rows change only where their instance did, so a confirm step in progress survives a refresh. */
function showRows(body, instances, query, actions) {
  const wanted = new Map(instances.map((instance) => [instance.id, instance]));
  for (const row of [...body.children]) {
    if (!wanted.has(row.dataset.instanceId)) row.remove();
  }
  for (const instance of instances) {
    const signature = JSON.stringify(instance);
    const existing = [...body.children].find((row) => row.dataset.instanceId === instance.id);
    if (existing?.dataset.signature === signature) continue;
    const row = instanceRow(instance, actions);
    row.dataset.signature = signature;
    if (existing) existing.replaceWith(row);
    else body.append(row);
  }
  applyFilter(body, query);
}

function applyFilter(body, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  for (const row of body.children) {
    const haystack = row.dataset.search ?? "";
    row.hidden = !words.every((word) => haystack.includes(word));
  }
}

function instanceRow(instance, { status, output, refresh }) {
  const act = (action, label) => {
    const button = el("button", { type: "button", "data-action": action }, label);
    button.addEventListener("click", () => change(action, instance.id, status, refresh));
    return button;
  };
  const buttons = [];
  if (instance.state === "stopped") buttons.push(act("StartInstances", "Start"));
  if (instance.state === "running") buttons.push(act("StopInstances", "Stop"), act("RebootInstances", "Reboot"));
  if (instance.state !== "terminated" && instance.state !== "shutting-down") {
    buttons.push(confirmButton("Terminate", { "data-action": "TerminateInstances" },
      () => change("TerminateInstances", instance.id, status, refresh)));
  }
  const consoleButton = el("button", { type: "button", "data-action": "GetConsoleOutput" }, "Console output");
  consoleButton.addEventListener("click", () => showConsole(instance.id, output));
  buttons.push(consoleButton, viewLink("Traffic graph", "usage", { instance: instance.id }, { class: "resource", "data-action": "graph" }));
  const row = el("tr", { "data-instance-id": instance.id, "data-state": instance.state },
    el("td", {}, instance.id), el("td", {}, instance.name), el("td", { class: "state" }, instance.state), el("td", {}, instance.type),
    el("td", {}, instance.image), el("td", {}, instance.privateIp), el("td", {}, instance.publicIp || "—"),
    el("td", {}, instance.launched), el("td", { class: "actions" }, buttons));
  row.dataset.search = Object.values(instance).join(" ").toLowerCase();
  return row;
}

async function change(action, instanceId, status, refresh) {
  const answer = await ec2(action, { "InstanceId.1": instanceId });
  say(status, answer.ok ? action.replace("Instances", "") + " sent for " + instanceId : answer.message, !answer.ok);
  await refresh();
}

async function showConsole(instanceId, output) {
  const answer = await ec2("GetConsoleOutput", { InstanceId: instanceId });
  if (!answer.ok) {
    output.replaceChildren(problem(answer.message));
    return;
  }
  const encoded = text(answer.doc.documentElement, "output");
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const decoded = new TextDecoder().decode(bytes);
  output.replaceChildren(
    el("h3", {}, "Console output of " + instanceId),
    el("pre", { id: "console-output", "data-instance-id": instanceId }, decoded || "(nothing written yet)"));
}

/** The launch form, its choices read from DescribeImages, DescribeInstanceTypes, DescribeKeyPairs and DescribeSecurityGroups. */
async function launchForm(status, refresh) {
  const [images, types, keys, groups] = await Promise.all([
    ec2("DescribeImages", { "Filter.1.Name": "image-type", "Filter.1.Value.1": "machine" }), ec2("DescribeInstanceTypes"), ec2("DescribeKeyPairs"), ec2("DescribeSecurityGroups")]);
  const options = (answer, path, value, label) => answer.ok
    ? items(answer.doc, ...path).map((item) => el("option", { value: text(item, value) }, label(item)))
    : [];
  const image = el("select", { id: "launch-image", name: "image", required: true },
    options(images, ["imagesSet"], "imageId", (i) => text(i, "imageId") + " " + text(i, "name")));
  const type = el("select", { id: "launch-type", name: "type" },
    options(types, ["instanceTypeSet"], "instanceType", (t) => text(t, "instanceType")));
  for (const option of type.options) option.selected = option.value === "t3.nano";
  const key = el("select", { id: "launch-key", name: "key" }, el("option", { value: "" }, "(none)"),
    options(keys, ["keySet"], "keyName", (k) => text(k, "keyName")));
  const group = el("select", { id: "launch-group", name: "group" }, el("option", { value: "" }, "(default)"),
    options(groups, ["securityGroupInfo"], "groupId", (g) => text(g, "groupName") + " (" + text(g, "groupId") + ")"));
  const count = el("input", { id: "launch-count", name: "count", type: "number", min: 1, max: 20, value: 1, required: true });
  const name = el("input", { id: "launch-name", name: "name", maxlength: 255 });
  const form = el("form", { id: "launch", class: "inline" },
    el("label", {}, "Image ", image), el("label", {}, "Type ", type), el("label", {}, "Key pair ", key),
    el("label", {}, "Security group ", group), el("label", {}, "Count ", count), el("label", {}, "Name ", name),
    el("button", { type: "submit" }, "Launch"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = { ImageId: image.value, InstanceType: type.value, MinCount: count.value, MaxCount: count.value,
      KeyName: key.value, "SecurityGroupId.1": group.value };
    if (name.value) {
      Object.assign(params, { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "Name",
        "TagSpecification.1.Tag.1.Value": name.value });
    }
    const answer = await ec2("RunInstances", params);
    const launched = answer.ok ? items(answer.doc, "instancesSet").map((item) => text(item, "instanceId")) : [];
    say(status, answer.ok ? "Launched " + launched.join(", ") : answer.message, !answer.ok);
    await refresh();
  });
  return form;
}
