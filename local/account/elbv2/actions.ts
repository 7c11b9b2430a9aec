import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import type { QueryValue } from "../shared/protocol/query-xml.js";
import type { ForwardAction } from "./model.js";

/**
 * Listener and rule actions as ModifyListener/ModifyRule receive them, checked the way ELBv2's model
 * checks them (ELBv2 API reference: Action, ForwardActionConfig, TargetGroupTuple): `Type` from the
 * enum, `TargetGroupArn` or `ForwardConfig`, weights 0-999, and if both forms are given, one target
 * group in ForwardConfig and the same one as TargetGroupArn (CloudFormation ListenerRule ForwardConfig).
 * Only forward actions are modelled (the deployments write nothing else). Which target groups exist
 * and what the load balancer accepts is checked by the world (targets.ts).
 */
export const ACTION_TYPES = ["forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response"] as const;

/** The quota "target groups per action" (ELB User Guide, Application Load Balancer quotas). */
export const MAX_TARGET_GROUPS_PER_ACTION = 5;

export const validation = (message: string) => new AwsError("ValidationError", message, { status: 400 });

const list = (v: QueryValue | undefined): QueryValue[] => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]);
const obj = (v: QueryValue | undefined): Record<string, QueryValue> => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});
const str = (v: QueryValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);

function integer(v: QueryValue | undefined, path: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw validation(constraintMessage(v, path, "Member must be an integer"));
  if (n < min) throw validation(constraintMessage(v, path, `Member must have value greater than or equal to ${min}`));
  if (n > max) throw validation(constraintMessage(v, path, `Member must have value less than or equal to ${max}`));
  return n;
}

export function parseActions(raw: QueryValue | undefined, member: "defaultActions" | "actions"): ForwardAction[] {
  const items = list(raw);
  if (items.length === 0) throw validation(`1 validation error detected: Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  const actions = items.map((item, i) => parseAction(obj(item), `${member}.${i + 1}.member`));
  if (actions.length !== 1) {
    throw new AwsError("InvalidLoadBalancerAction", "The simulated account models one forward action per listener or rule", { status: 400 });
  }
  return actions;
}

function parseAction(a: Record<string, QueryValue>, path: string): ForwardAction {
  const type = str(a.Type);
  if (type === undefined) throw validation(constraintMessage("null", `${path}.type`, "Member must not be null"));
  if (!(ACTION_TYPES as readonly string[]).includes(type)) throw validation(constraintMessage(type, `${path}.type`, `Member must satisfy enum value set: [${ACTION_TYPES.join(", ")}]`));
  if (type !== "forward") throw new AwsError("InvalidLoadBalancerAction", `The simulated account does not model ${type} actions`, { status: 400 });
  const order = integer(a.Order, `${path}.order`, 1, 50000);
  const single = str(a.TargetGroupArn);
  const config = a.ForwardConfig === undefined ? undefined : obj(a.ForwardConfig);
  const tuples = list(config?.TargetGroups).map((t, j) => {
    const tuple = obj(t);
    const arn = str(tuple.TargetGroupArn);
    if (!arn) throw validation(`A target group ARN must be specified for target group ${j + 1} of the forward action`);
    const weight = integer(tuple.Weight, `${path}.forwardConfig.targetGroups.${j + 1}.member.weight`, 0, 999);
    return { targetGroupArn: arn, weight };
  });
  if (!single && tuples.length === 0) throw validation("A target group ARN must be specified for a forward action");
  if (single && tuples.length > 0 && (tuples.length !== 1 || tuples[0]?.targetGroupArn !== single)) {
    throw validation("If you specify both a target group ARN and a forward config, the forward config must name that target group and no other");
  }
  if (tuples.length > 1 && tuples.some((t) => t.weight === undefined)) throw validation("A weight must be specified for every target group of a forward action with more than one target group");
  if (tuples.length > MAX_TARGET_GROUPS_PER_ACTION) throw validation(`A forward action can have at most ${MAX_TARGET_GROUPS_PER_ACTION} target groups`);
  const arns = tuples.map((t) => t.targetGroupArn);
  const twice = arns.find((arn, j) => arns.indexOf(arn) !== j);
  if (twice) throw validation(`Target group '${twice}' is listed more than once in the forward action`);
  const stick = obj(config?.TargetGroupStickinessConfig);
  const enabled = str(stick.Enabled) === "true";
  const durationSeconds = integer(stick.DurationSeconds, `${path}.forwardConfig.targetGroupStickinessConfig.durationSeconds`, 1, 604800);
  const targetGroups = tuples.length > 0 ? tuples.map((t) => ({ targetGroupArn: t.targetGroupArn, weight: t.weight ?? 1 })) : [{ targetGroupArn: single as string, weight: 1 }];
  const action: ForwardAction = {
    type: "forward",
    targetGroups,
    stickiness: enabled ? { enabled, ...(durationSeconds !== undefined ? { durationSeconds } : {}) } : { enabled: false },
  };
  if (order !== undefined) action.order = order;
  if (tuples.some((t) => t.weight !== undefined)) action.weighted = true;
  return action;
}

/**
 * An action as DescribeListeners/DescribeRules show it: a single target group also as
 * `TargetGroupArn`; always a ForwardConfig with every target group and its weight.
 */
export function renderAction(a: ForwardAction): Record<string, unknown> {
  const one = a.targetGroups.length === 1 ? a.targetGroups[0] : undefined;
  return {
    Type: "forward",
    ...(one ? { TargetGroupArn: one.targetGroupArn } : {}),
    ...(a.order !== undefined ? { Order: a.order } : {}),
    ForwardConfig: {
      TargetGroups: a.targetGroups.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })),
      TargetGroupStickinessConfig: a.stickiness.enabled ? { Enabled: true, DurationSeconds: a.stickiness.durationSeconds } : { Enabled: false },
    },
  };
}
