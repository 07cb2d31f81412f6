// Operator: an account's month: its usage summary with the cost, and its FOCUS bill as CSV (the
// admin billing report), downloaded from the page.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewHref } from "../lib/dom.js";
import { field, select } from "../lib/opforms.js";

export const billingView = {
  path: "billing",
  title: "Billing",
  audience: "operator",
  async render(root, params, context) {
    const accounts = await api("GET", "/admin/v1/accounts");
    if (accounts.status !== 200) {
      root.append(problem(failure(accounts)));
      return;
    }
    const list = accounts.json.accounts ?? [];
    const account = params.get("account") ?? list[0]?.id ?? "";
    const month = params.get("month") ?? new Date().toISOString().slice(0, 7);
    const accountPicker = select({ id: "billing-account", name: "account" }, list.map((a) => [a.id, a.name]), account);
    const monthPicker = el("input", { id: "billing-month", name: "month", type: "month", value: month });
    const form = el("form", { class: "inline", id: "billing-form" }, field("Account", accountPicker), field("Month", monthPicker),
      el("button", { type: "submit" }, "Show"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      location.hash = viewHref("billing", { account: accountPicker.value, month: monthPicker.value });
    });
    root.append(form);
    if (!account) return;

    const query = new URLSearchParams({ account, month });
    const summary = await api("GET", "/api/usage/summary?" + query);
    if (summary.status !== 200) {
      root.append(problem(failure(summary)));
      return;
    }
    root.append(
      el("p", { id: "billing-total" }, "Total of " + month + ": " + summary.json.cost + " " + summary.json.currency
        + (summary.json.closed ? " (closed)" : " (open: may still change)")),
      table("billing-usage", [
        { title: "Resource", value: (t) => t.resourceId },
        { title: "SKU", value: (t) => t.skuId },
        { title: "Quantity", value: (t) => t.consumedQuantity + " " + t.consumedUnit, class: "number" },
        { title: "Cost", value: (t) => t.cost, class: "number" },
      ], summary.json.resources ?? []),
      csvDownload(query, context.signal),
    );
  },
};

/** A button that fetches the month's FOCUS CSV and hands it to the browser as a file. */
function csvDownload(query, signal) {
  const status = el("span", { id: "csv-status" });
  const button = el("button", { type: "button", id: "download-csv" }, "Download FOCUS CSV");
  button.addEventListener("click", async () => {
    status.textContent = "Fetching…";
    const response = await fetch("/admin/v1/billing/report?" + query + "&format=csv", { credentials: "same-origin", signal });
    const text = await response.text();
    if (!response.ok) {
      status.textContent = "The bill could not be made (HTTP " + response.status + ").";
      return;
    }
    const rows = text.split("\n").filter((line) => line.length > 0).length - 1;
    const link = el("a", { id: "csv-link", download: "focus-" + query.get("account") + "-" + query.get("month") + ".csv",
      href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), "data-rows": String(rows) }, "focus.csv");
    signal.addEventListener("abort", () => URL.revokeObjectURL(link.href), { once: true });
    status.replaceChildren(link, " (" + rows + " row(s))");
    link.click();
  });
  return el("p", {}, button, " ", status);
}
