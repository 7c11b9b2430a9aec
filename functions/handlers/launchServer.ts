import { deployToLaunchedInstance, type LaunchDeps, type LaunchResult } from "../services/server/launch.js";
import { realDeps } from "../wiring.js";

/**
 * Target of the "EC2 Instance-launch Lifecycle Action" rule (Auto Scaling, default bus, stepdeploy's launch hooks): an
 * instance held in Pending:Wait gets the group's last successful revision, whose end completes the action (docs/ec2.md#auto-scaling).
 */
export function createHandler(deps: LaunchDeps) {
  return async (event: unknown): Promise<LaunchResult> => {
    const result = await deployToLaunchedInstance(deps, event, process.env.DEPLOY_SERVER_STATE_MACHINE_ARN ?? "");
    for (const reason of result.ignored) deps.log().info("launch ignored", reason);
    return result;
  };
}

export const handler = createHandler(realDeps());
