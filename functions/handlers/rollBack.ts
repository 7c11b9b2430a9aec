import { type RollBackEvent, rollBack } from "../services/rollback.js";
import { type Deps, realDeps } from "../wiring.js";

/** Restore the traffic where the deployment found it, never over another writer's change; returns the final outcome. */
export function createHandler(deps: Pick<Deps, "lambda" | "loadBalancer" | "log">) {
  return (event: RollBackEvent) => rollBack(deps, event);
}

export const handler = createHandler(realDeps());
