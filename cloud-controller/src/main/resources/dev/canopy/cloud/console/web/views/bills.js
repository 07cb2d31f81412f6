// Tenant: a month's bill. The month's total and its rows per resource and SKU (the usage API's
// summary), and the month's FOCUS CSV as a download named canopy-bill-ACCOUNT-YYYY-MM.csv.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewHref } from "../lib/dom.js";

export const billsView = {
  path: "bills",
  title: "Bills",
  audience: "tenant",
  async render(root, params, context) {
    const month = params.get("month") ?? new Date().toISOString().slice(0, 7);
    const picker = el("input", { id: "bill-month", type: "month", value: month, required: true });
    picker.addEventListener("change", () => {
      if (picker.value) location.hash = viewHref("bills", { month: picker.value });
    });
    const csv = "/api/billing/report?" + new URLSearchParams({ month, format: "csv" });
    const name = "canopy-bill-" + context.session.accountName + "-" + month + ".csv";
    root.append(
      el("h2", { id: "bill-title" }, "Bill of " + month),
      el("form", { class: "inline" }, el("label", {}, "Month ", picker),
        el("a", { id: "bill-csv", href: csv, download: name, class: "button" }, "Download CSV")));
    const answer = await api("GET", "/api/usage/summary?" + new URLSearchParams({ month }));
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    const summary = answer.json;
    root.append(
      el("p", { id: "bill-total" }, "Total: " + summary.cost + " " + summary.currency + (summary.closed ? " (closed)" : " (so far)")),
      table("bill", [
        { title: "Resource", value: (row) => row.resourceId },
        { title: "Type", value: (row) => row.resourceType },
        { title: "SKU", value: (row) => row.skuId },
        { title: "Quantity", value: (row) => row.consumedQuantity + " " + row.consumedUnit, class: "number" },
        { title: "Cost", value: (row) => row.cost, class: "number" },
      ], summary.resources ?? []));
  },
};
