import { planServerRollback, type ServerRollbackEvent } from "../services/server/rollback.js";
import { type Deps, realDeps } from "../wiring.js";

/** Decide a server deployment's rollback: a new deployment of the group's last successful revision, linked both ways. */
export function createHandler(deps: Pick<Deps, "registry" | "log">) {
  return (event: ServerRollbackEvent) => planServerRollback(deps, event);
}

export const handler = createHandler(realDeps());
