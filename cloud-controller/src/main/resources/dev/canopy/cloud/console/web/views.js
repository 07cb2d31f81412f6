// Every view of the console, in the order of the navigation bar. A view is
// { path, title, audience: "operator" | "tenant", render(root, params, session) }; its address is
// #/path?params, so a link or a reload reproduces what is on the screen.

import { accountsView } from "./views/accounts.js";
import { usageView } from "./views/usage.js";
import { nodeView } from "./views/node.js";
import { correlateView } from "./views/correlate.js";
import { latencyView } from "./views/latency.js";
import { instancesView } from "./views/instances.js";
import { keyPairsView } from "./views/keypairs.js";
import { securityGroupsView } from "./views/securitygroups.js";
import { bucketsView } from "./views/buckets.js";
import { billsView } from "./views/bills.js";

export const VIEWS = [
  accountsView,
  nodeView,
  correlateView,
  latencyView,
  instancesView,
  keyPairsView,
  securityGroupsView,
  bucketsView,
  usageView,
  billsView,
];
