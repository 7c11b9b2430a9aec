import { ErrorNames, StepDeployError } from "../errors.js";
import { type Pair, type WeightedTargetGroup, describeForward, weightOnGreen } from "./weights.js";

/**
 * Which target group is blue and which green, and whether the service can start a deployment.
 *
 * "CodeDeploy determines which target group is associated with the task set ... that has the status
 * PRIMARY (this is the original task set) and associates one target group with it, and then associates
 * the other target group with the replacement task set" (UG deployment-steps-ecs): target groups
 * alternate every deployment. The service must have exactly one task set, the PRIMARY, attached to one
 * of the pair, and the production route must serve it fully: a leftover task set or a split route is a
 * deployment that did not finish (or another tool's change), and stepdeploy starts nothing on it rather
 * than guess, as it refuses a Lambda alias that already splits traffic.
 */
export interface ServiceTaskSet {
  id: string;
  status: string;
  taskDefinition: string;
  targetGroupArns: string[];
}

export interface RouteState {
  /** `listener` or `rule`, and its ARN, for messages. */
  name: string;
  forward: WeightedTargetGroup[];
}

export interface BlueGreenStart<T extends ServiceTaskSet = ServiceTaskSet> extends Pair {
  original: T;
}

const notReady = (message: string) => new StepDeployError(ErrorNames.TargetNotReady, message);

export function chooseBlueGreen<T extends ServiceTaskSet>(targetGroupArns: [string, string], taskSets: readonly T[], prod: RouteState, test?: RouteState): BlueGreenStart<T> {
  const primary = taskSets.filter((t) => t.status === "PRIMARY");
  if (primary.length !== 1) throw notReady(`the service has ${primary.length} PRIMARY task sets; a blue/green deployment starts from exactly one`);
  const others = taskSets.filter((t) => t.status !== "PRIMARY");
  if (others.length) {
    throw notReady(
      `the service has task sets besides the PRIMARY one (${others.map((t) => `${t.id} ${t.status} ${t.taskDefinition}`).join("; ")}): an earlier deployment did not finish; delete them or let that deployment end first`,
    );
  }
  const original = primary[0] as T;
  const attached = targetGroupArns.filter((arn) => original.targetGroupArns.includes(arn));
  if (attached.length !== 1) {
    throw notReady(`the PRIMARY task set ${original.id} is attached to ${original.targetGroupArns.join(", ") || "no target group"}, not to exactly one of the pair ${targetGroupArns.join(", ")}`);
  }
  const blue = attached[0] as string;
  const pair: Pair = { blue, green: targetGroupArns.find((arn) => arn !== blue) as string };
  for (const route of [prod, ...(test ? [test] : [])]) {
    const w = weightOnGreen(pair, route.forward);
    if (w !== 0) {
      throw notReady(`${route.name} forwards ${describeForward(route.forward)}, not everything to ${blue.split("/")[1]} (the PRIMARY task set's target group): traffic is split or routed elsewhere`);
    }
  }
  return { ...pair, original };
}
