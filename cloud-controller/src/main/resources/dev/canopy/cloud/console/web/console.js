// The Canopy console: one page over the console port's JSON APIs, with the session cookie the
// login sets. No framework and no build step; uPlot (from its WebJar) draws the graphs. The shell
// here logs in and out and routes #/path?params to one of the views (views.js); each view owns the
// <main> while it is shown and gets an AbortSignal that fires when the user leaves it (to close
// its live streams and timers).

import { api, failure, setCsrfToken } from "./lib/api.js";
import { $, el, viewHref } from "./lib/dom.js";
import { VIEWS } from "./views.js";

let session = null;
let leaving = null;

function show(id, visible) {
  $(id).hidden = !visible;
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
  session = null;
  setCsrfToken(null);
  leaving?.abort();
  $("view").replaceChildren();
  $("nav").replaceChildren();
  for (const id of ["who", "logout", "nav", "view"]) show(id, false);
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
    $("login-error").textContent = failure(answer);
  }
}

function enter(who) {
  session = who;
  setCsrfToken(who.csrfToken);
  show("login", false);
  $("who").textContent = who.accountName + (who.operator ? " (operator)" : "");
  $("nav").replaceChildren(...viewsFor(who).map((view) =>
    el("a", { href: viewHref(view.path), "data-view": view.path }, view.title)));
  for (const id of ["who", "logout", "nav", "view"]) show(id, true);
  route();
}

function viewsFor(who) {
  const audience = who.operator ? "operator" : "tenant";
  return VIEWS.filter((view) => view.audience === audience || view.audience === "both");
}

/** Shows the view the address names, or the session's first view. */
async function route() {
  if (!session) return;
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const views = viewsFor(session);
  const view = views.find((candidate) => candidate.path === path) ?? views[0];
  leaving?.abort();
  leaving = new AbortController();
  for (const link of $("nav").children) link.classList.toggle("current", link.dataset.view === view.path);
  const root = el("div", { class: "view", "data-view": view.path });
  $("view").replaceChildren(root);
  try {
    await view.render(root, new URLSearchParams(query ?? ""), { session, signal: leaving.signal, refresh: route });
  } catch (error) {
    root.append(el("p", { class: "problem", role: "alert" }, "This view failed: " + error.message));
  }
}

async function logout() {
  await api("DELETE", "/api/session");
  showLogin();
}

$("login").addEventListener("submit", login);
$("logout").addEventListener("click", logout);
window.addEventListener("hashchange", route);
start();
