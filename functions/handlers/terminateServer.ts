import type { LaunchDeps, LaunchResult } from "../services/server/launch.js";
import { deployToTerminatingInstance } from "../services/server/termination.js";
import { realDeps } from "../wiring.js";

/**
 * Target of the "EC2 Instance-terminate Lifecycle Action" rule (Auto Scaling, default bus, stepdeploy's termination
 * hooks): an instance held in Terminating:Wait gets a termination deployment, whose end completes the action (docs/ec2.md#auto-scaling).
 */
export function createHandler(deps: LaunchDeps) {
  return async (event: unknown): Promise<LaunchResult> => {
    const result = await deployToTerminatingInstance(deps, event, process.env.DEPLOY_SERVER_STATE_MACHINE_ARN ?? "");
    for (const reason of result.ignored) deps.log().info("termination ignored", reason);
    return result;
  };
}

export const handler = createHandler(realDeps());
