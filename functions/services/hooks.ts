import type { LambdaDeployment } from "../domain/deployment/state.js";
import { type HookPayload, interpretHookResult, type LambdaLifecycleEvent } from "../domain/hooks/contract.js";
import type { Deps } from "../wiring.js";
import { checkAlarms } from "./alarms.js";

export interface RunHookEvent {
  deployment: LambdaDeployment;
  lifecycleEvent: LambdaLifecycleEvent;
}

export type HookRun = { lifecycleEvent: LambdaLifecycleEvent; hook: string | null; status: "Succeeded" | "Skipped" };

/**
 * A lifecycle event: the alarms are checked first (a hook never runs while a watched alarm fires), then the
 * user's hook, if one is configured, is invoked and must answer {"status":"Succeeded"} (docs/hooks.md);
 * anything else is Deploy.HookFailed.
 */
export async function runHook(deps: Pick<Deps, "alarms" | "lambda" | "log">, event: RunHookEvent): Promise<HookRun> {
  const d = event.deployment;
  await checkAlarms(deps, d);
  const hook = event.lifecycleEvent === "BeforeAllowTraffic" ? d.hooks.beforeAllowTraffic : d.hooks.afterAllowTraffic;
  if (!hook) return { lifecycleEvent: event.lifecycleEvent, hook: null, status: "Skipped" };
  const payload: HookPayload = {
    deploymentId: d.deploymentId,
    lifecycleEvent: event.lifecycleEvent,
    application: d.application,
    deploymentGroup: d.deploymentGroup,
    functionName: d.functionName,
    alias: d.alias,
    currentVersion: d.currentVersion,
    targetVersion: d.targetVersion,
  };
  const log = deps.log(d.deploymentId);
  log.info("invoking hook", { hook, lifecycleEvent: event.lifecycleEvent });
  const result = interpretHookResult(hook, event.lifecycleEvent, await deps.lambda.invoke(hook, payload));
  log.info("hook succeeded", { hook });
  return { lifecycleEvent: event.lifecycleEvent, hook, ...result };
}
