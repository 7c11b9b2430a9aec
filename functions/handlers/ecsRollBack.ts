import type { Outcome } from "../domain/deployment/outcome.js";
import type { TrafficPlan } from "../domain/deployment/plan.js";
import type { EcsDeployment } from "../domain/ecs/deployment.js";
import { rollBackEcsDeployment } from "../services/ecs/finish.js";
import type { Installed } from "../services/ecs/steps.js";
import { type Deps, realDeps } from "../wiring.js";

/** When decided: both routes back to the original target group (one call each), the replacement deleted; never over another writer's change. */
export function createHandler(deps: Pick<Deps, "loadBalancer" | "ecs" | "log">) {
  return (event: { deployment: EcsDeployment; plan: TrafficPlan; outcome: Outcome; install: Installed | null }) => rollBackEcsDeployment(deps, event);
}

export const handler = createHandler(realDeps());
