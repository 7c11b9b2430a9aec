import { type EcsStartDeps, startEcsDeployment } from "../services/ecs/start.js";
import type { StartEvent } from "../services/start.js";
import { realDeps } from "../wiring.js";

/**
 * ECS Start (a `.waitForTaskToken` task): check the input, take the service's lock or wait in its queue, check the
 * account (service, routes, task definition, hooks, alarms), take the routes' locks, record InProgress, answer the token.
 */
export function createHandler(deps: EcsStartDeps) {
  return (event: StartEvent) => startEcsDeployment(deps, event);
}

export const handler = createHandler(realDeps());
