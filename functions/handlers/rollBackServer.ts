import { planServerRollback, type ServerRollbackEvent } from "../services/server/rollback.js";
import { type Deps, realDeps } from "../wiring.js";

/** Decide a server deployment's rollback: a new deployment of the group's last successful revision, linked both ways; blue/green: traffic back to the originals. */
export function createHandler(deps: Pick<Deps, "registry" | "log" | "loadBalancer" | "autoScaling" | "classicLoadBalancer">) {
  return (event: ServerRollbackEvent) => planServerRollback(deps, event);
}

export const handler = createHandler(realDeps());
