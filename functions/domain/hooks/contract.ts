import { ErrorNames, StepDeployError } from "../errors.js";

export type LambdaLifecycleEvent = "BeforeAllowTraffic" | "AfterAllowTraffic";

/**
 * Our hook contract (docs/hooks.md). Unlike CodeDeploy's `{DeploymentId, LifecycleEventHookExecutionId}`,
 * the payload names the version under test, and the hook answers with its return value instead of a
 * PutLifecycleEventHookExecutionStatus callback.
 */
export interface HookPayload {
  deploymentId: string;
  lifecycleEvent: LambdaLifecycleEvent;
  application: string;
  deploymentGroup: string;
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
}

export interface HookInvocationResult {
  /** Lambda's X-Amz-Function-Error, set when the hook threw or timed out. */
  functionError?: string;
  /** The raw response payload text. */
  payload: string;
}

/** Accepts `{"status":"Succeeded"}`; anything else is a failed hook with a reason. */
export function interpretHookResult(hook: string, event: string, result: HookInvocationResult): { status: "Succeeded" } {
  const fail = (reason: string) => new StepDeployError(ErrorNames.HookFailed, `${event} hook ${hook} failed: ${reason}`);
  let body: unknown;
  try {
    body = result.payload ? JSON.parse(result.payload) : undefined;
  } catch {
    throw fail(`returned a payload that is not JSON: ${result.payload.slice(0, 200)}`);
  }
  if (result.functionError) {
    const b = body as { errorType?: string; errorMessage?: string } | undefined;
    throw fail(`threw ${b?.errorType ?? result.functionError}: ${b?.errorMessage ?? result.payload}`);
  }
  const status = (body as { status?: unknown } | undefined)?.status;
  if (status === "Succeeded") return { status: "Succeeded" };
  if (status === "Failed") {
    const reason = (body as { reason?: unknown }).reason;
    throw fail(typeof reason === "string" && reason ? reason : "reported Failed without a reason");
  }
  throw fail(`returned ${JSON.stringify(body)?.slice(0, 200)}; expected {"status":"Succeeded"} or {"status":"Failed","reason":"..."}`);
}
