import * as z from "zod";
import { startCursor, type StepCursor } from "../deployment/cursor.js";
import { buildTrafficPlan, type TrafficPlan } from "../deployment/plan.js";
import { resolveEcsConfig } from "../ecs/configs.js";
import { LISTENER_ARN, loadBalancerArnOf, RULE_ARN } from "../ecs/arns.js";
import { type TrafficRoute, routeArn } from "../ecs/target.js";
import { describeForward, forwardFor, forwardRevision, type WeightedTargetGroup, weightOnGreen } from "../ecs/weights.js";
import { ALARM_MONITORING, DEFAULT_ALARM_POLL_SECONDS } from "../deployment/input.js";
import { ErrorNames, StepDeployError, ValidationError, ValidationErrors } from "../errors.js";
import { type MetricGate, parseMetricGates } from "../gates/gate.js";
import type { ListenerWeightsTarget } from "../traffic/target.js";
import { intIn, record } from "../schema/fields.js";

/**
 * EC2 blue/green rerouted in weighted steps on a listener (docs/ec2.md#weighted), beyond CodeDeploy: with
 * `blueGreen.trafficRouting` and exactly two `targetGroups` (blue first: the one the production route forwards to),
 * the green instances are registered in the second group and the route's weighted forward action moves
 * `{blue: 100-w, green: w}` in the steps of a time-based config (CodeDeploy's ECS configs, custom ones, step lists),
 * with the shared ShiftTraffic/Bake handlers and the listener-weights router, as ECS blue/green does.
 */
export const TrafficRoutingSchema = record(
  {
    prodTrafficRoute: z
      .union([record({ listenerArn: z.string().regex(LISTENER_ARN, { error: "must be an ELBv2 listener ARN (arn:aws:elasticloadbalancing:region:account:listener/app|net/name/id/id)" }) }, '{"listenerArn"}'), record({ ruleArn: z.string().regex(RULE_ARN, { error: "must be an Application Load Balancer listener rule ARN" }) }, '{"ruleArn"}')], {
        error: 'must be {"listenerArn": "..."} or {"ruleArn": "..."}',
      })
      .meta({ description: "The production listener (or ALB listener rule) that forwards to the first target group (blue)." }),
    deploymentConfig: z.unknown().optional().meta({ description: "A time-based config: CodeDeployDefault.ECSAllAtOnce (default), ECSCanary10Percent5Minutes, ECSLinear10PercentEvery1Minutes, ..., a custom config or a step list." }),
    alarmMonitoring: z
      .enum(ALARM_MONITORING, { error: 'must be "events" or "polling"' })
      .optional()
      .meta({ description: "How the bakes watch `alarms`: events (default; an alarm's state change ends the bake at once) or polling (read every alarmPollSeconds), as Lambda and ECS bakes." }),
    alarmPollSeconds: intIn(1, 3600).meta({ description: "polling: seconds between reads, 1-3600 (default 60)." }),
    metricGates: z.array(z.unknown(), { error: "must be a list of metric gates" }).optional().meta({ description: "Metric gates evaluated during each bake (metric, ratio or expression; docs/deploy-lambda-input.md)." }),
  },
  '{"prodTrafficRoute", "deploymentConfig"?, "alarmMonitoring"?, "alarmPollSeconds"?, "metricGates"?}',
).meta({ description: "Reroute in weighted canary/linear steps on a listener instead of all at once (docs/ec2.md#weighted). Needs exactly two targetGroups: blue, then green." });

export type TrafficRouting = { prodTrafficRoute: TrafficRoute; deploymentConfig?: unknown; alarmMonitoring?: "events" | "polling"; alarmPollSeconds?: number | null; metricGates?: unknown[] };

/** What the shared ShiftTraffic, Bake and Paused handlers read as their `deployment` (the watch fields of LambdaDeployment). */
export interface WeightedShiftView {
  deploymentId: string;
  target: ListenerWeightsTarget;
  account: string;
  region: string;
  alarms: string[];
  ignoredAlarms: string[];
  ignorePollAlarmFailure: boolean;
  alarmMonitoring: "events" | "polling";
  alarmPollSeconds: number;
  metricGates: MetricGate[];
  hasGates: boolean;
}

/**
 * `$.run.blueGreen.weighted`: the route, the steps, the route's forward action as Start read it (`start`), and the
 * first cursor, whose revision is `{blue: 100, green: 0}`: green's AllowTraffic writes that before any step.
 */
export interface ServerWeighted {
  deployment: WeightedShiftView;
  plan: TrafficPlan;
  start: string;
  cursor: StepCursor;
}

/**
 * The bakes' metric gates, checked as ECS's (a gate on a Lambda version's error rate has no version to measure here),
 * every problem named under `blueGreen.trafficRouting`.
 */
export function weightedGates(routing: Pick<TrafficRouting, "metricGates">, at = "blueGreen.trafficRouting."): MetricGate[] {
  const lambdaGate = (routing.metricGates ?? []).findIndex((g) => typeof g === "object" && g !== null && "lambdaErrorRatePercent" in g);
  if (lambdaGate >= 0) throw new ValidationErrors([{ field: `${at}metricGates[${lambdaGate}].lambdaErrorRatePercent`, reason: "measures a Lambda version; the weighted reroute's gates use metric, ratio or expression" }]);
  try {
    return parseMetricGates(routing.metricGates, { functionName: "", alias: "", targetVersion: "" });
  } catch (e) {
    if (!(e instanceof ValidationErrors)) throw e;
    throw new ValidationErrors(e.problems.map((p) => ({ field: `${at}${p.field}`, reason: p.reason })));
  }
}

/** The steps of the config, or a refusal naming the field: a Server (minimum healthy hosts) or Lambda config has no traffic steps here. */
export function weightedPlan(config: unknown): TrafficPlan {
  try {
    return buildTrafficPlan(resolveEcsConfig(config).schedule);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError("blueGreen.trafficRouting.deploymentConfig", e.reason, e.name);
  }
}

const nameOf = (arn: string) => arn.split("/")[1] ?? arn;

/**
 * Both target groups must belong to the production route's load balancer before anything moves: an ALB/NLB target
 * group serves one load balancer, and ELBv2 refuses a forward to one another load balancer uses
 * (TargetGroupAssociationLimit, "cannot be associated with more than one load balancer"), which would fail the first
 * write of the route, after the green install. A group no listener forwards to yet (LoadBalancerArns empty: a new green
 * group) is taken: green's AllowTraffic associates it with the route's load balancer (its join at weight 0).
 */
export function checkPairLoadBalancer(route: string, pair: { blue: string; green: string }, loadBalancers: Record<string, string[]>, group?: string): void {
  const own = loadBalancerArnOf(route);
  if (!own) return;
  for (const [role, arn] of [["blue", pair.blue], ["green", pair.green]] as const) {
    const foreign = (loadBalancers[arn] ?? []).filter((lb) => lb !== own);
    if (foreign.length === 0) continue;
    throw new StepDeployError(
      ErrorNames.UnsupportedTrafficConfig,
      `targetGroups: ${nameOf(arn)}, the ${role} target group${group ? ` of ${group}` : ""}, belongs to load balancer ${foreign.map(nameOfLoadBalancer).join(", ")}, not ${nameOfLoadBalancer(own)} whose ${route.includes(":listener-rule/") ? "rule" : "listener"} is blueGreen.trafficRouting.prodTrafficRoute: a target group serves one load balancer (ELBv2 TargetGroupAssociationLimit)`,
    );
  }
}

/** `orders` from `arn:...:loadbalancer/app/orders/<id>`. */
const nameOfLoadBalancer = (arn: string) => arn.split("/")[2] ?? arn;

/**
 * The weighted reroute, decided at Start from what the route forwards now: it must send everything to blue (the first
 * target group) and nothing elsewhere, or the deployment is refused before any instance is touched.
 */
export function prepareWeighted(a: {
  deploymentId: string;
  routing: TrafficRouting;
  pair: { blue: string; green: string };
  /** Each group's load balancers (DescribeTargetGroups' LoadBalancerArns), by target group ARN; absent: not checked. */
  loadBalancers?: Record<string, string[]>;
  /** `application/deploymentGroup`, for messages. */
  group?: string;
  forward: readonly WeightedTargetGroup[];
  alarms: string[];
  ignorePollAlarmFailure: boolean;
  where: { account: string; region: string };
}): ServerWeighted {
  const plan = weightedPlan(a.routing.deploymentConfig);
  const target: ListenerWeightsTarget = { kind: "listener-weights", routeArn: routeArn(a.routing.prodTrafficRoute), ...a.pair, config: plan.config };
  checkPairLoadBalancer(target.routeArn, a.pair, a.loadBalancers ?? {}, a.group);
  // Everything to blue: the original single-target forward, or blue beside green at weight 0; nothing to a third group.
  if (weightOnGreen(a.pair, a.forward) !== 0) {
    throw new StepDeployError(
      ErrorNames.UnsupportedTrafficConfig,
      `blueGreen.trafficRouting.prodTrafficRoute: ${target.routeArn} forwards ${describeForward(a.forward)}; it must send all traffic to the first target group (blue), ${a.pair.blue.split("/")[1] ?? a.pair.blue}, before a weighted reroute`,
    );
  }
  // The bakes watch as Lambda's and ECS's: alarm events by default; a bake watcher polls alarms or evaluates gates.
  const metricGates = weightedGates(a.routing);
  const alarmMonitoring = a.routing.alarmMonitoring ?? "events";
  return {
    deployment: {
      deploymentId: a.deploymentId,
      target,
      ...a.where,
      alarms: a.alarms,
      ignoredAlarms: [],
      ignorePollAlarmFailure: a.ignorePollAlarmFailure,
      alarmMonitoring,
      alarmPollSeconds: a.routing.alarmPollSeconds ?? DEFAULT_ALARM_POLL_SECONDS,
      metricGates,
      hasGates: metricGates.length > 0,
    },
    plan,
    start: forwardRevision(a.forward),
    cursor: startCursor(alarmMonitoring === "polling" || metricGates.length > 0, forwardRevision(forwardFor(a.pair, 0))),
  };
}
