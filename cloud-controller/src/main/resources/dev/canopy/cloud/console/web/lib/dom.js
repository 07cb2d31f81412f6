// Small DOM helpers. Every value from the server goes into the page as text (textContent),
// never as HTML, so nothing a tenant names can run as script in another user's page.

export const $ = (id) => document.getElementById(id);

/** An element with attributes (class, id, data-*, anything else as an attribute) and children (nodes or text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A table with a header row and one row per item; a column is { title, value(item) -> text or node, class }. */
export function table(id, columns, items) {
  const head = el("thead", {}, el("tr", {}, columns.map((column) => el("th", {}, column.title))));
  const body = el("tbody", {}, items.map((item) => el("tr", {},
    columns.map((column) => el("td", { class: column.class }, column.value(item))))));
  return el("table", { id }, head, body);
}

/** A link to another view of the console (a hash route, so the address reproduces the view). */
export function viewLink(text, path, params = {}, attributes = {}) {
  return el("a", { href: viewHref(path, params), ...attributes }, text);
}

export function viewHref(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  return "#/" + path + (query ? "?" + query : "");
}

/** A line that says what went wrong, for the user to read (role=alert). */
export function problem(text) {
  return el("p", { class: "problem", role: "alert" }, text);
}
