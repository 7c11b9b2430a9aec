import { AutoScalingClient, CompleteLifecycleActionCommand, CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, PutLifecycleHookCommand } from "@aws-sdk/client-auto-scaling";
import type { AutoScalingPort } from "../ports/instances.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const autoScalingClient = (): AutoScalingClient => cachedClient("autoscaling", (options) => new AutoScalingClient(options));

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toStepDeployError(e, what);
  }
}

/**
 * Amazon EC2 Auto Scaling: DescribeAutoScalingGroups, CreateAutoScalingGroup (a copy), DeleteAutoScalingGroup with
 * ForceDelete, and the launch lifecycle hook (PutLifecycleHook, CompleteLifecycleAction).
 */
export function createAutoScalingAdapter(): AutoScalingPort {
  return {
    async describeGroup(name) {
      const out = await call(`autoscaling:DescribeAutoScalingGroups ${name}`, () => autoScalingClient().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })));
      const g = out.AutoScalingGroups?.[0];
      if (!g) return undefined;
      const lt = g.LaunchTemplate;
      return {
        name: g.AutoScalingGroupName ?? name,
        ...(lt ? { launchTemplate: { ...(lt.LaunchTemplateId ? { id: lt.LaunchTemplateId } : {}), ...(lt.LaunchTemplateName ? { name: lt.LaunchTemplateName } : {}), ...(lt.Version ? { version: lt.Version } : {}) } } : {}),
        minSize: g.MinSize ?? 0,
        maxSize: g.MaxSize ?? 0,
        desiredCapacity: g.DesiredCapacity ?? 0,
        instances: (g.Instances ?? []).map((i) => ({ id: i.InstanceId ?? "", lifecycleState: i.LifecycleState ?? "" })),
        tags: (g.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "", propagateAtLaunch: t.PropagateAtLaunch === true })),
        targetGroupArns: g.TargetGroupARNs ?? [],
      };
    },
    async createGroup(group) {
      const lt = group.launchTemplate;
      await call(`autoscaling:CreateAutoScalingGroup ${group.name}`, () =>
        autoScalingClient().send(
          new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: group.name,
            LaunchTemplate: lt.id ? { LaunchTemplateId: lt.id, Version: lt.version } : { LaunchTemplateName: lt.name, Version: lt.version },
            MinSize: group.minSize,
            MaxSize: group.maxSize,
            DesiredCapacity: group.desiredCapacity,
            Tags: group.tags.map((t) => ({ Key: t.key, Value: t.value, PropagateAtLaunch: t.propagateAtLaunch })),
          }),
        ),
      );
    },
    async deleteGroup(name) {
      await call(`autoscaling:DeleteAutoScalingGroup ${name}`, () => autoScalingClient().send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })));
    },
    async putLaunchHook(group, hook) {
      const input = { AutoScalingGroupName: group, LifecycleHookName: hook.name, LifecycleTransition: hook.transition ?? "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: hook.heartbeatTimeoutSeconds, DefaultResult: hook.defaultResult };
      try {
        await autoScalingClient().send(new PutLifecycleHookCommand(input));
        return true;
      } catch (e) {
        // "AutoScalingGroup name not found": the deployment still finds the group's instances by their tag.
        if ((e as Error).name === "ValidationError" && /not found/i.test((e as Error).message)) return false;
        // The stack grants it only on the stack parameter serverAutoScalingGroupPattern's groups (none by default).
        const hint = /AccessDenied/.test((e as Error).name) ? ` (is ${group} in the stack parameter serverAutoScalingGroupPattern? docs/ec2.md#iam)` : "";
        throw toStepDeployError(e, `autoscaling:PutLifecycleHook ${group}/${hook.name}${hint}`);
      }
    },
    async completeLifecycleAction(action) {
      const input = { AutoScalingGroupName: action.group, LifecycleHookName: action.hook, LifecycleActionToken: action.token, LifecycleActionResult: action.result };
      try {
        await autoScalingClient().send(new CompleteLifecycleActionCommand(input));
        return true;
      } catch (e) {
        // "No active Lifecycle Action found with token ...": it timed out or the instance is terminating; nothing to complete.
        if ((e as Error).name === "ValidationError" && /No active Lifecycle Action/.test((e as Error).message)) return false;
        throw toStepDeployError(e, `autoscaling:CompleteLifecycleAction ${action.group}/${action.hook}`);
      }
    },
  };
}
