// What the tenant portal's views share: EC2 calls through the console's /api/ec2 (EC2's own Query
// form and XML, read with DOMParser), small readers of that XML, a two-step confirm button, and
// saving bytes the page holds as a file. Server text goes into the page as text only (lib/dom.js).

import { currentCsrfToken } from "./api.js";
import { el } from "./dom.js";

/**
 * One EC2 action as the session's account: resolves to { ok, status, doc, message }. doc is the
 * answer's XML document when ok; message is EC2's (or the session's) refusal otherwise.
 */
export async function ec2(action, params = {}) {
  const body = new URLSearchParams({ Action: action });
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") body.append(name, String(value));
  }
  const headers = {};
  if (currentCsrfToken()) headers["X-CSRF-Token"] = currentCsrfToken();
  const response = await fetch("/api/ec2", { method: "POST", body, headers, credentials: "same-origin" });
  const text = await response.text();
  if (response.ok) {
    return { ok: true, status: response.status, doc: new DOMParser().parseFromString(text, "application/xml") };
  }
  let message = "EC2 refused the call (HTTP " + response.status + ")";
  try {
    const json = JSON.parse(text);
    message = (json.code ? json.code + ": " : "") + (json.message ?? "");
  } catch {
    // not JSON: the status says it
  }
  return { ok: false, status: response.status, message };
}

/** The direct children of node named name. */
export function kids(node, name) {
  return node ? [...node.children].filter((child) => child.localName === name) : [];
}

/** The first child named name, or null. */
export function kid(node, name) {
  return kids(node, name)[0] ?? null;
}

/** The text of the child named name ("" when absent). */
export function text(node, name) {
  return kid(node, name)?.textContent ?? "";
}

/** The items of a set under the answer's root: items(doc, "keySet") is every <keySet><item>. */
export function items(doc, ...path) {
  let nodes = [doc.documentElement];
  for (const name of path) nodes = nodes.flatMap((node) => kids(node, name));
  return nodes.flatMap((node) => kids(node, "item"));
}

/** The value of the tag named key in a resource's tagSet ("" when none). */
export function tag(node, key) {
  const found = kids(kid(node, "tagSet"), "item").find((item) => text(item, "key") === key);
  return found ? text(found, "value") : "";
}

/**
 * A button that asks before it acts: the first click turns it into "Confirm …" and a Cancel; only
 * the confirm runs action. attributes go on the first button (ids, data-* for tests).
 */
export function confirmButton(label, attributes, action) {
  const holder = el("span", { class: "confirm" });
  const ask = el("button", { type: "button", ...attributes }, label);
  ask.addEventListener("click", () => {
    const yes = el("button", { type: "button", class: "danger", "data-confirm": attributes["data-action"] ?? label }, "Confirm " + label.toLowerCase());
    const no = el("button", { type: "button" }, "Cancel");
    yes.addEventListener("click", () => {
      yes.disabled = true;
      action();
    });
    no.addEventListener("click", () => holder.replaceChildren(ask));
    holder.replaceChildren(yes, no);
  });
  holder.append(ask);
  return holder;
}

/** Offers bytes the page holds as a file download, once; nothing of them stays in the page. */
export function saveFile(name, content, type = "application/octet-stream") {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the download once the click is handled: the URL may go.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A line saying what happened (role=status), replaced by each new message. */
export function notice(id) {
  return el("p", { id, class: "notice", role: "status" });
}

export function say(line, message, failed = false) {
  line.textContent = message;
  line.classList.toggle("problem", failed);
}
