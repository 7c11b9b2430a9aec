import {
  type Action,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DeregisterTargetsCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { RULE_ARN, TARGET_GROUP_ARN, loadBalancerKind } from "../domain/ecs/arns.js";
import type { WeightedTargetGroup } from "../domain/ecs/weights.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { LoadBalancerPort, RouteForward, TargetGroupInfo } from "../ports/load-balancer.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const elbv2Client = (): ElasticLoadBalancingV2Client => cachedClient("elastic_load_balancing_v2", (options) => new ElasticLoadBalancingV2Client(options));

const NOT_FOUND = new Set(["ListenerNotFoundException", "RuleNotFoundException", "TargetGroupNotFoundException", "LoadBalancerNotFoundException"]);

/**
 * ELBv2 errors as named errors: not-found answers are `Deploy.ResourceNotFound`; the refusal of weights
 * by a Network Load Balancer that predates weighted target groups ("You cannot specify a target group
 * weight on load balancers of type 'network'", "... multiple target groups in a single action ...")
 * is `Deploy.UnsupportedTrafficConfig`; the rest as every adapter maps them (transient or AwsError).
 */
function mapError(e: unknown, what: string): StepDeployError {
  const err = e as Error;
  if (NOT_FOUND.has(err?.name)) return new StepDeployError(ErrorNames.ResourceNotFound, `${what}: ${err.name}: ${err.message}`, { cause: e });
  if (err?.name === "ValidationError" && /load balancers? of type 'network'/.test(err.message)) {
    return new StepDeployError(ErrorNames.UnsupportedTrafficConfig, `${what}: this Network Load Balancer does not take weighted target groups (${err.message})`, { cause: e });
  }
  return toStepDeployError(e, what);
}

const forwardOf = (actions: Action[] | undefined): WeightedTargetGroup[] => {
  const forward = actions?.find((a) => a.Type === "forward");
  const tuples = forward?.ForwardConfig?.TargetGroups;
  if (tuples?.length) return tuples.map((t) => ({ targetGroupArn: t.TargetGroupArn ?? "", weight: t.Weight ?? 1 }));
  return forward?.TargetGroupArn ? [{ targetGroupArn: forward.TargetGroupArn, weight: 1 }] : [];
};

const route = (arn: string, actions: Action[] | undefined): RouteForward => ({
  arn,
  kind: RULE_ARN.test(arn) ? "rule" : "listener",
  loadBalancer: loadBalancerKind(arn) === "net" ? "network" : "application",
  targetGroups: forwardOf(actions),
});

/** The load balancer as ECS deployments use it (routes and target groups) and EC2 in-place ones (instance registration). */
export function createElbv2Adapter(client = elbv2Client()): LoadBalancerPort {
  const describeTargetGroups = async (namesOrArns: string[]): Promise<TargetGroupInfo[]> => {
    const arns = namesOrArns.filter((t) => TARGET_GROUP_ARN.test(t));
    const names = namesOrArns.filter((t) => !TARGET_GROUP_ARN.test(t));
    try {
      const found = [
        ...(arns.length ? ((await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }))).TargetGroups ?? []) : []),
        ...(names.length ? ((await client.send(new DescribeTargetGroupsCommand({ Names: names }))).TargetGroups ?? []) : []),
      ];
      return namesOrArns.map((t) => {
        const tg = found.find((x) => x.TargetGroupArn === t || x.TargetGroupName === t);
        if (!tg?.TargetGroupArn) throw new StepDeployError(ErrorNames.ResourceNotFound, `DescribeTargetGroups: no target group ${t}`);
        return {
          arn: tg.TargetGroupArn,
          name: tg.TargetGroupName ?? t,
          targetType: tg.TargetType ?? "instance",
          // ELBv2's defaults when a field is missing: every 30 s, healthy after 5.
          healthCheck: { intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30, healthyThresholdCount: tg.HealthyThresholdCount ?? 5 },
          loadBalancerArns: tg.LoadBalancerArns ?? [],
        };
      });
    } catch (e) {
      throw mapError(e, `DescribeTargetGroups ${namesOrArns.join(", ")}`);
    }
  };
  return {
    async readRoute(arn) {
      try {
        if (RULE_ARN.test(arn)) return route(arn, (await client.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules?.[0]?.Actions);
        return route(arn, (await client.send(new DescribeListenersCommand({ ListenerArns: [arn] }))).Listeners?.[0]?.DefaultActions);
      } catch (e) {
        throw mapError(e, `Describe ${arn}`);
      }
    },
    async writeRoute(arn, targetGroups) {
      const actions: Action[] = [{ Type: "forward", ForwardConfig: { TargetGroups: targetGroups.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })) } }];
      try {
        if (RULE_ARN.test(arn)) return route(arn, (await client.send(new ModifyRuleCommand({ RuleArn: arn, Actions: actions }))).Rules?.[0]?.Actions);
        return route(arn, (await client.send(new ModifyListenerCommand({ ListenerArn: arn, DefaultActions: actions }))).Listeners?.[0]?.DefaultActions);
      } catch (e) {
        throw mapError(e, `${RULE_ARN.test(arn) ? "ModifyRule" : "ModifyListener"} ${arn}`);
      }
    },
    async targetGroupArns(namesOrArns) {
      return (await describeTargetGroups(namesOrArns)).map((t) => t.arn);
    },
    describeTargetGroups,
    async deregistrationDelay(targetGroupArn) {
      try {
        const out = await client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn }));
        const value = out.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
        // ELBv2's default (target group attributes) when the attribute is not listed.
        return value === undefined ? 300 : Number(value);
      } catch (e) {
        throw mapError(e, `DescribeTargetGroupAttributes ${targetGroupArn}`);
      }
    },
    async registerInstances(targetGroupArn, instanceIds) {
      try {
        await client.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instanceIds.map((Id) => ({ Id })) }));
      } catch (e) {
        throw mapError(e, `RegisterTargets ${targetGroupArn}`);
      }
    },
    async deregisterInstances(targetGroupArn, instanceIds) {
      try {
        await client.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instanceIds.map((Id) => ({ Id })) }));
      } catch (e) {
        throw mapError(e, `DeregisterTargets ${targetGroupArn}`);
      }
    },
    async targetHealth(targetGroupArn) {
      try {
        const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
        return (out.TargetHealthDescriptions ?? []).map((d) => ({
          id: d.Target?.Id ?? "",
          port: d.Target?.Port ?? 0,
          state: d.TargetHealth?.State ?? "unknown",
          ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
        }));
      } catch (e) {
        throw mapError(e, `DescribeTargetHealth ${targetGroupArn}`);
      }
    },
  };
}
