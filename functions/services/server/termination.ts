import { deploymentIdFrom } from "../../domain/deployment/ids.js";
import { decideTermination, parseTerminationEvent } from "../../domain/fleet/termination.js";
import { deployToHeldInstance, type LaunchDeps, type LaunchResult } from "./launch.js";

/** The termination deployment's id: one per group and instance, so a second delivery of the event starts nothing new. */
export function terminationDeploymentIdOf(groupId: string, instanceId: string): string {
  return deploymentIdFrom(`${groupId}/${instanceId}/terminate`);
}

/**
 * The scale-in half of CodeDeploy's Auto Scaling integration with terminationHookEnabled (docs/ec2.md#auto-scaling):
 * the instance waits in Terminating:Wait under the deployment group's termination hook; if the group's deployments
 * left a revision on it (registry instance health), it gets a **termination deployment** (creator autoscalingTermination as CodeDeploy's, its id
 * derived from the group and instance, under the instance's own lock when another deployment holds the group's) that
 * runs BeforeBlockTraffic, BlockTraffic, AfterBlockTraffic and ApplicationStop with that revision's scripts, and whose
 * end completes the action CONTINUE, failed or not. Otherwise the action is completed CONTINUE here at once.
 */
export async function deployToTerminatingInstance(deps: LaunchDeps, event: unknown, stateMachineArn: string): Promise<LaunchResult> {
  return deployToHeldInstance(deps, event, stateMachineArn, {
    parse: parseTerminationEvent,
    idOf: terminationDeploymentIdOf,
    creator: "autoscalingTermination",
    what: "termination deployment of a scaled-in instance",
    decide: async (a) => {
      const installed = (await deps.registry.instanceHealth({ application: a.group.application, deploymentGroup: a.group.deploymentGroup })).get(a.held.instanceId);
      // Where the instance's last deployment put its traffic (Start records an in-place deployment's target groups).
      const target = installed ? ((await deps.registry.getDeployment(installed.deploymentId))?.target as { targetGroups?: string[]; classicLoadBalancers?: string[] } | undefined) : undefined;
      const traffic = { ...(target?.targetGroups ? { targetGroups: target.targetGroups } : {}), ...(target?.classicLoadBalancers ? { classicLoadBalancers: target.classicLoadBalancers } : {}) };
      return decideTermination({ ...a, groups: deps.config.groups, termination: a.held, installed, traffic });
    },
  });
}
