// Operator: the accounts.

import { api, failure } from "../lib/api.js";
import { problem, table } from "../lib/dom.js";

export const accountsView = {
  path: "accounts",
  title: "Accounts",
  audience: "operator",
  async render(root) {
    const answer = await api("GET", "/admin/v1/accounts");
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    root.append(table("accounts", [
      { title: "Name", value: (account) => account.name },
      { title: "Id", value: (account) => account.id },
      { title: "Created", value: (account) => account.createdAt },
    ], answer.json.accounts ?? []));
  },
};
