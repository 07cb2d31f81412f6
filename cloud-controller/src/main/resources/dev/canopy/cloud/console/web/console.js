// The Canopy console: one page over the console port's JSON APIs, with the session cookie the
// login sets. No framework and no build step; uPlot (from its WebJar) draws the graphs. Every
// value from the server is put in the page as text (textContent), never as HTML.

let csrfToken = null;

const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text && response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : null;
  return { status: response.status, json };
}

function show(id, visible) {
  $(id).hidden = !visible;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function start() {
  const who = await api("GET", "/api/session");
  if (who.status === 200) {
    enter(who.json);
  } else {
    showLogin();
  }
}

function showLogin() {
  csrfToken = null;
  for (const id of ["who", "logout", "operator", "tenant"]) show(id, false);
  show("login", true);
  $("account").focus();
}

async function login(event) {
  event.preventDefault();
  $("login-error").textContent = "";
  const answer = await api("POST", "/api/session", { account: $("account").value, password: $("password").value });
  $("password").value = "";
  if (answer.status === 200) {
    enter(answer.json);
  } else {
    $("login-error").textContent = answer.json?.message ?? "the login failed (HTTP " + answer.status + ")";
  }
}

function enter(session) {
  csrfToken = session.csrfToken;
  show("login", false);
  $("who").textContent = session.accountName + (session.operator ? " (operator)" : "");
  show("who", true);
  show("logout", true);
  if (session.operator) {
    showAccounts();
  } else {
    showUsage();
  }
}

async function logout() {
  await api("DELETE", "/api/session");
  showLogin();
}

async function showAccounts() {
  const answer = await api("GET", "/admin/v1/accounts");
  const body = $("accounts").tBodies[0];
  body.replaceChildren();
  for (const account of answer.json?.accounts ?? []) {
    const row = body.insertRow();
    cell(row, account.name);
    cell(row, account.id);
    cell(row, account.createdAt);
  }
  show("operator", true);
}

async function showUsage() {
  const month = new Date().toISOString().slice(0, 7);
  const answer = await api("GET", "/api/usage/summary?month=" + month);
  $("usage-title").textContent = "Usage of " + month;
  const summary = answer.json;
  $("usage-total").textContent = summary ? "Total: " + summary.cost + " " + summary.currency : "No usage readable now.";
  const body = $("usage").tBodies[0];
  body.replaceChildren();
  for (const total of summary?.resources ?? []) {
    const row = body.insertRow();
    const resource = cell(row, total.resourceId);
    if (total.resourceType === "Instance") {
      resource.className = "resource-cell";
      resource.textContent = "";
      const link = document.createElement("a");
      link.className = "resource";
      link.textContent = total.resourceId;
      link.addEventListener("click", () => showGraph(total.resourceId));
      resource.append(link);
    }
    cell(row, total.skuId);
    cell(row, total.consumedQuantity + " " + total.consumedUnit, "number");
    cell(row, total.cost, "number");
  }
  show("tenant", true);
}

/** The instance's traffic of the last hour per minute, bytes in and out summed over its vNICs. */
async function showGraph(instanceId) {
  const answer = await api("GET", "/api/usage/instances/" + encodeURIComponent(instanceId) + "?step=60");
  if (answer.status !== 200) return;
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
  $("graph-title").textContent = "Traffic of " + instanceId + " (bytes per minute)";
  show("graph-title", true);
  const graph = $("graph");
  graph.replaceChildren();
  graph.dataset.points = String(points.length);
  new uPlot({
    width: 720, height: 280,
    series: [{}, { label: "in", stroke: "#24492c" }, { label: "out", stroke: "#c8553d" }],
  }, data, graph);
}

$("login").addEventListener("submit", login);
$("logout").addEventListener("click", logout);
start();
