import { ValidationError } from "../errors.js";
import { checkGroup, historyKey } from "./model.js";
import type { DeploymentPage, DeploymentQuery, RegistryStore } from "./port.js";
import { DEPLOYMENT_STATUSES, type DeploymentRecord, type DeploymentStatus } from "./types.js";

export interface ListDeploymentsQuery {
  /** With `deploymentGroup`: that group's history. Both or neither (as CodeDeploy's ListDeployments). */
  application?: string;
  deploymentGroup?: string;
  /** Only these statuses (CodeDeploy's includeOnlyStatuses). */
  statuses?: DeploymentStatus[];
  /** 1-100, default 50. */
  limit?: number;
  nextToken?: string;
}

export interface DeploymentList {
  /** Newest first (createTime, then deploymentId, descending). */
  deployments: DeploymentRecord[];
  nextToken?: string;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** Newest first; all deployments, or one group's (history), optionally only some statuses. */
export async function listDeployments(store: RegistryStore, query: ListDeploymentsQuery = {}): Promise<DeploymentList> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ValidationError("limit", `must be a whole number from 1 to ${MAX_LIMIT}`);
  const statuses = query.statuses ?? [...DEPLOYMENT_STATUSES];
  for (const s of statuses)
    if (!DEPLOYMENT_STATUSES.includes(s)) throw new ValidationError("statuses", `${String(s)} is not one of ${DEPLOYMENT_STATUSES.join(", ")}`);
  const before = query.nextToken === undefined ? undefined : decodeToken(query.nextToken);
  if ((query.application === undefined) !== (query.deploymentGroup === undefined)) {
    throw new ValidationError("deploymentGroup", "application and deploymentGroup go together: give both or neither");
  }
  let page: DeploymentPage;
  if (query.application !== undefined && query.deploymentGroup !== undefined) {
    const group = checkGroup({
      application: query.application,
      deploymentGroup: query.deploymentGroup,
    });
    const wanted = new Set(statuses);
    page = await collect(store, { by: { group }, limit, before }, (r) => wanted.has(r.status));
  } else {
    // One index partition per status: query each, merge newest first. Exact, because each returns its top `limit`.
    const pages = await Promise.all([...new Set(statuses)].map((status) => store.queryDeployments({ by: { status }, limit, before })));
    const merged = pages.flatMap((p) => p.items).sort((a, b) => (historyKey(a) < historyKey(b) ? 1 : historyKey(a) > historyKey(b) ? -1 : 0));
    page = {
      items: merged.slice(0, limit),
      more: merged.length > limit || pages.some((p) => p.more),
    };
  }
  const last = page.items[page.items.length - 1];
  return {
    deployments: page.items,
    ...(page.more && last ? { nextToken: encodeToken(historyKey(last)) } : {}),
  };
}

/** Pages through one source until `limit` records pass `keep` or the source ends. */
async function collect(store: RegistryStore, query: DeploymentQuery, keep: (r: DeploymentRecord) => boolean): Promise<DeploymentPage> {
  const items: DeploymentRecord[] = [];
  let before = query.before;
  for (;;) {
    const page = await store.queryDeployments({ ...query, before });
    for (const [i, r] of page.items.entries()) {
      if (!keep(r)) continue;
      items.push(r);
      if (items.length === query.limit) return { items, more: i < page.items.length - 1 || page.more };
    }
    const last = page.items[page.items.length - 1];
    if (!page.more || !last) return { items, more: false };
    before = historyKey(last);
  }
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ before: key }), "utf8").toString("base64url");
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { before?: unknown };
    if (typeof parsed.before === "string" && parsed.before !== "") return parsed.before;
  } catch {
    // fall through
  }
  throw new ValidationError("nextToken", "is not a token returned by listDeployments");
}
