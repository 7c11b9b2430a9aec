import { ValidationErrors } from "../errors.js";
import { LISTENER_ARN, RULE_ARN, TARGET_GROUP_NAME, clusterName, isTargetGroupRef, loadBalancerKind, serviceName, targetGroupName } from "./arns.js";

/**
 * What an ECS blue/green deployment moves traffic on: CodeDeploy's ECS deployment group target
 * (`ecsServices` + `loadBalancerInfo.targetGroupPairInfoList[0]`, codedeploy-spec §6.2): one service,
 * two target groups that alternate, the production route and an optional test route. A route is a
 * listener (CodeDeploy's `listenerArns`, at most one) or, stepdeploy's addition, an Application Load
 * Balancer listener rule: traffic then moves on that rule only. `containerName`/`containerPort` are
 * the defaults an appspec's LoadBalancerInfo overrides.
 */
export type TrafficRoute = { listenerArn: string } | { ruleArn: string };

export interface EcsTarget {
  kind: "ecs-service";
  /** Short name or ARN, as given. */
  cluster: string;
  service: string;
  /** The two target groups, names or ARNs as given (resolved to ARNs before the deployment starts). */
  targetGroups: [string, string];
  prodTrafficRoute: TrafficRoute;
  testTrafficRoute?: TrafficRoute;
  containerName?: string;
  containerPort?: number;
}

type Problems = { field: string; reason: string }[];
const KEYS = ["cluster", "service", "targetGroups", "prodTrafficRoute", "testTrafficRoute", "containerName", "containerPort"];

export function routeArn(route: TrafficRoute): string {
  return "listenerArn" in route ? route.listenerArn : route.ruleArn;
}

/** `listener` or `rule`, for messages. */
export function routeKind(route: TrafficRoute): "listener" | "rule" {
  return "listenerArn" in route ? "listener" : "rule";
}

function parseRoute(raw: unknown, field: string, problems: Problems): TrafficRoute | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push({ field, reason: 'must be {"listenerArn": "..."} or {"ruleArn": "..."}' });
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1 || !["listenerArn", "ruleArn"].includes(keys[0] as string)) {
    problems.push({ field, reason: `must have exactly one of listenerArn, ruleArn; got ${keys.join(", ") || "nothing"}` });
    return undefined;
  }
  if (typeof o.listenerArn === "string") {
    if (LISTENER_ARN.test(o.listenerArn)) return { listenerArn: o.listenerArn };
    problems.push({ field: `${field}.listenerArn`, reason: `must be an ELBv2 listener ARN (arn:aws:elasticloadbalancing:region:account:listener/app|net/name/id/id), got '${o.listenerArn}'` });
    return undefined;
  }
  if (typeof o.ruleArn === "string") {
    if (RULE_ARN.test(o.ruleArn)) return { ruleArn: o.ruleArn };
    const reason = o.ruleArn.includes(":listener-rule/net/")
      ? "names a Network Load Balancer rule; Network Load Balancers have no listener rules, give the listener as listenerArn"
      : `must be an Application Load Balancer listener rule ARN (arn:aws:elasticloadbalancing:region:account:listener-rule/app/name/id/id/id), got '${o.ruleArn}'`;
    problems.push({ field: `${field}.ruleArn`, reason });
    return undefined;
  }
  problems.push({ field: `${field}.${keys[0]}`, reason: "must be a string" });
  return undefined;
}

/** Validates the ECS target of a deployment (group or input); every problem names its field under `field`. */
export function parseEcsTarget(raw: unknown, field = "ecs"): EcsTarget {
  const problems: Problems = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ValidationErrors([{ field, reason: "must be an object with cluster, service, targetGroups and prodTrafficRoute" }]);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) problems.push({ field: `${field}.${k}`, reason: `unknown field; expected ${KEYS.join(", ")}` });
  const cluster = typeof o.cluster === "string" ? clusterName(o.cluster) : undefined;
  if (!cluster) problems.push({ field: `${field}.cluster`, reason: "must be an ECS cluster name or ARN" });
  const service = typeof o.service === "string" ? serviceName(o.service) : undefined;
  if (!service) problems.push({ field: `${field}.service`, reason: "must be an ECS service name or ARN" });
  if (service?.cluster && cluster && service.cluster !== cluster) problems.push({ field: `${field}.service`, reason: `is a service of cluster ${service.cluster}, not ${cluster}` });
  const tgs = o.targetGroups;
  const pair = Array.isArray(tgs) && tgs.length === 2 && tgs.every((t) => typeof t === "string") ? (tgs as [string, string]) : undefined;
  if (!pair) problems.push({ field: `${field}.targetGroups`, reason: "must list exactly two target groups (names or ARNs): CodeDeploy's target group pair" });
  pair?.forEach((t, i) => {
    if (!isTargetGroupRef(t)) problems.push({ field: `${field}.targetGroups[${i}]`, reason: `must be a target group name (${TARGET_GROUP_NAME.source}) or ARN, got '${t}'` });
  });
  if (pair && targetGroupName(pair[0]) === targetGroupName(pair[1])) problems.push({ field: `${field}.targetGroups`, reason: "must be two different target groups" });
  const prod = o.prodTrafficRoute === undefined ? undefined : parseRoute(o.prodTrafficRoute, `${field}.prodTrafficRoute`, problems);
  if (o.prodTrafficRoute === undefined) problems.push({ field: `${field}.prodTrafficRoute`, reason: 'is required: {"listenerArn": "..."} or {"ruleArn": "..."}' });
  const test = o.testTrafficRoute === undefined || o.testTrafficRoute === null ? undefined : parseRoute(o.testTrafficRoute, `${field}.testTrafficRoute`, problems);
  if (prod && test && routeArn(prod) === routeArn(test)) problems.push({ field: `${field}.testTrafficRoute`, reason: "must differ from prodTrafficRoute (test traffic moves before production traffic)" });
  if (prod && test && loadBalancerKind(routeArn(prod)) !== loadBalancerKind(routeArn(test))) {
    problems.push({ field: `${field}.testTrafficRoute`, reason: "must be on the same load balancer as prodTrafficRoute (a target group belongs to one load balancer)" });
  }
  if (o.containerName !== undefined && (typeof o.containerName !== "string" || o.containerName === "")) problems.push({ field: `${field}.containerName`, reason: "must be a container name" });
  if (o.containerPort !== undefined && !(Number.isInteger(o.containerPort) && (o.containerPort as number) >= 1 && (o.containerPort as number) <= 65535)) {
    problems.push({ field: `${field}.containerPort`, reason: "must be a whole number from 1 to 65535" });
  }
  if (problems.length || !cluster || !service || !pair || !prod) throw new ValidationErrors(problems);
  return {
    kind: "ecs-service",
    cluster,
    service: service.name,
    targetGroups: pair,
    prodTrafficRoute: prod,
    ...(test ? { testTrafficRoute: test } : {}),
    ...(typeof o.containerName === "string" ? { containerName: o.containerName } : {}),
    ...(typeof o.containerPort === "number" ? { containerPort: o.containerPort } : {}),
  };
}

/**
 * The locks an ECS deployment takes, one per traffic target it moves (direction.md: `ecs:cluster/service`,
 * `elbv2:listener-or-rule`): the service, the production route and the test route. Two deployments that
 * share any of them cannot run at once, whatever their groups.
 */
export function ecsLockKeys(target: EcsTarget): string[] {
  return [`ecs:${target.cluster}/${target.service}`, `elbv2:${routeArn(target.prodTrafficRoute)}`, ...(target.testTrafficRoute ? [`elbv2:${routeArn(target.testTrafficRoute)}`] : [])];
}
