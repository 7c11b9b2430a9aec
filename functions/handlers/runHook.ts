import { invokeFunction } from "../adapters/lambda.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { type HookPayload, interpretHookResult, type LambdaLifecycleEvent } from "../domain/hooks/contract.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import { withDeployment } from "../lib/logger.js";

export interface RunHookEvent {
  deployment: LambdaDeployment;
  lifecycleEvent: LambdaLifecycleEvent;
}

/** Invokes the user's hook for a lifecycle event and fails with Deploy.HookFailed unless it succeeded. */
export async function handler(event: RunHookEvent): Promise<{ hook: string; lifecycleEvent: LambdaLifecycleEvent; status: "Succeeded" }> {
  const d = event.deployment;
  const hook = event.lifecycleEvent === "BeforeAllowTraffic" ? d.hooks.beforeAllowTraffic : d.hooks.afterAllowTraffic;
  const log = withDeployment(d.deploymentId);
  if (!hook) throw new StepDeployError(ErrorNames.HookFailed, `no ${event.lifecycleEvent} hook configured`);
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
  log.info("invoking hook", { hook, lifecycleEvent: event.lifecycleEvent });
  const result = interpretHookResult(hook, event.lifecycleEvent, await invokeFunction(hook, payload));
  log.info("hook succeeded", { hook });
  return { hook, lifecycleEvent: event.lifecycleEvent, ...result };
}
