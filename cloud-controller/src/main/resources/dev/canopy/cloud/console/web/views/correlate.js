// Operator: several hosts' and instances' metrics on ONE time axis, one plot per metric stacked,
// with a shared cursor and zoom (collectl's colplot). The selection and the window live in the
// address: #/correlate?hosts=a,b&instances=i-1&metrics=cpu,net&from=..&to=.. reproduces the view.

import { api } from "../lib/api.js";
import { el, problem, viewHref } from "../lib/dom.js";
import { HOST_FIGURES, WINDOWS, hostGraph, plot, zoomGroup } from "../lib/hostplots.js";

const METRICS = ["cpu", "mem", "disk", "net", "bandwidth"];
const STEP = 60;

function listOf(params, name) {
  return (params.get(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

export const correlateView = {
  path: "correlate",
  title: "Correlate",
  audience: "operator",
  async render(root, params, context) {
    const hosts = listOf(params, "hosts");
    const instances = listOf(params, "instances");
    const metrics = listOf(params, "metrics").filter((m) => METRICS.includes(m));
    const now = Math.floor(Date.now() / 1000);
    const to = Number.parseInt(params.get("to") ?? "", 10) || now;
    const from = Number.parseInt(params.get("from") ?? "", 10) || to - 3600;

    const nodes = await api("GET", "/api/admin/hosts");
    const known = nodes.status === 200 ? nodes.json.nodes : [];
    const form = el("form", { id: "correlate-form", class: "correlate-form" },
      el("fieldset", {}, el("legend", {}, "Hosts"), known.map((n) => el("label", {},
        el("input", { type: "checkbox", name: "host", value: n.nodeId, checked: hosts.includes(n.nodeId), "data-host": n.nodeId }),
        " " + n.nodeId + " (" + n.hostname + ")"))),
      el("fieldset", {}, el("legend", {}, "Metrics"), METRICS.map((m) => el("label", {},
        el("input", { type: "checkbox", name: "metric", value: m, checked: metrics.includes(m), "data-metric": m }), " " + m))),
      el("label", {}, "Instances (ids, comma separated) ",
        el("input", { type: "text", id: "correlate-instances", value: instances.join(",") })),
      el("label", {}, " Window ", el("select", { id: "correlate-window" },
        Object.keys(WINDOWS).map((name) => el("option", { value: name, selected: WINDOWS[name] === to - from }, name)))),
      el("button", { type: "submit", id: "correlate-show" }, "Show"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = (name) => [...form.querySelectorAll("input[name=" + name + "]:checked")].map((box) => box.value);
      const end = Math.floor(Date.now() / 1000);
      location.hash = viewHref("correlate", {
        hosts: chosen("host").join(","),
        instances: form.querySelector("#correlate-instances").value.replace(/\s+/g, ""),
        metrics: chosen("metric").join(","),
        from: String(end - WINDOWS[form.querySelector("#correlate-window").value]),
        to: String(end),
      });
    });
    const link = el("input", { type: "text", id: "correlate-link", readonly: true, value: location.href });
    const copy = el("button", { type: "button", id: "correlate-copy" }, "Copy link");
    copy.addEventListener("click", async () => {
      link.select();
      try {
        await navigator.clipboard.writeText(location.href);
        copy.textContent = "Copied";
      } catch {
        copy.textContent = "Select the link and copy it";
      }
    });
    root.append(el("h2", {}, "Correlate"), form, el("p", { class: "link" }, link, " ", copy));
    if ((hosts.length === 0 && instances.length === 0) || metrics.length === 0) {
      root.append(el("p", { id: "correlate-empty" }, "Pick hosts or instances and metrics, then Show."));
      return;
    }

    const hostMetrics = metrics.filter((m) => HOST_FIGURES[m]);
    const graphs = await Promise.all(hosts.map((h) => hostMetrics.length ? hostGraph(h, from, to, STEP, hostMetrics) : null));
    if (context.signal.aborted) return;
    const times = timesOf(from, to);
    const zoom = zoomGroup();
    const plots = el("div", { id: "correlate-plots", "data-from": String(from), "data-to": String(to) });
    root.append(plots);
    for (const metric of hostMetrics) {
      const columns = [times];
      const labels = [];
      hosts.forEach((host, i) => {
        if (!graphs[i]) {
          plots.append(problem("No metrics for host " + host + "."));
          return;
        }
        columns.push(HOST_FIGURES[metric].of(graphs[i]));
        labels.push(host);
      });
      plots.append(plot("correlate-" + metric, HOST_FIGURES[metric].title, columns, labels, "correlate", zoom).section);
    }
    if (metrics.includes("bandwidth") && instances.length) {
      const columns = [times];
      const labels = [];
      for (const id of instances) {
        const answer = await api("GET", "/api/usage/instances/" + encodeURIComponent(id) + "?" +
          new URLSearchParams({ from: String(from), to: String(to), step: String(STEP) }));
        if (answer.status !== 200) {
          plots.append(problem("No bandwidth for instance " + id + "."));
          continue;
        }
        columns.push(bandwidth(answer.json, times));
        labels.push(id);
      }
      if (context.signal.aborted) return;
      plots.append(plot("correlate-bandwidth", "Instance bandwidth in + out (bytes/s)", columns, labels, "correlate", zoom).section);
    }
  },
};

/** The period ends the host API answers for (from, to] at STEP, so every column lines up. */
function timesOf(from, to) {
  const times = [];
  for (let t = Math.ceil((from + 1) / STEP) * STEP; t <= Math.ceil(to / STEP) * STEP; t += STEP) times.push(t);
  return times;
}

/** An instance's bytes in and out per period, as bytes per second on the shared time column. */
function bandwidth(view, times) {
  const byTime = new Map();
  for (const line of view.series) {
    if (line.metric !== "rxBytes" && line.metric !== "txBytes") continue;
    for (const [second, value] of line.points) {
      const end = Math.ceil(second / STEP) * STEP;
      byTime.set(end, (byTime.get(end) ?? 0) + value / STEP);
    }
  }
  return times.map((t) => byTime.get(t) ?? null);
}
