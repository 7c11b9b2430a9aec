import type { EcsDeployment } from "../../domain/ecs/deployment.js";
import type { EcsHookEvent } from "../../domain/ecs/lifecycle.js";
import { interpretHookResult } from "../../domain/hooks/contract.js";
import type { Deps } from "../../wiring.js";
import { checkAlarms } from "../alarms.js";

/**
 * An ECS lifecycle hook, with the Lambda hooks' contract (docs/hooks.md): the alarms are checked first (a hook
 * never runs while a watched alarm fires), then the hook named for the event, if any, is invoked and must answer
 * {"status":"Succeeded"}. The payload names the service and both task definitions, and the test route for
 * AfterAllowTestTraffic, so the hook can test the replacement.
 */
export async function runEcsHook(deps: Pick<Deps, "alarms" | "lambda" | "log">, event: { deployment: EcsDeployment; lifecycleEvent: EcsHookEvent }) {
  const d = event.deployment;
  await checkAlarms(deps, d);
  const hook = d.hooks[event.lifecycleEvent];
  if (!hook) return { lifecycleEvent: event.lifecycleEvent, hook: null, status: "Skipped" as const };
  const payload = {
    deploymentId: d.deploymentId,
    lifecycleEvent: event.lifecycleEvent,
    application: d.application,
    deploymentGroup: d.deploymentGroup,
    cluster: d.ecs.cluster,
    service: d.ecs.service,
    currentTaskDefinition: d.currentVersion,
    targetTaskDefinition: d.targetVersion,
    ...(d.ecs.testRoute ? { testTrafficRoute: d.ecs.testRoute.routeArn } : {}),
  };
  const log = deps.log(d.deploymentId);
  log.info("invoking hook", { hook, lifecycleEvent: event.lifecycleEvent });
  const result = interpretHookResult(hook, event.lifecycleEvent, await deps.lambda.invoke(hook, payload));
  log.info("hook succeeded", { hook });
  return { lifecycleEvent: event.lifecycleEvent, hook, ...result };
}
