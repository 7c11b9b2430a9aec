import { ValidationError } from "../errors.js";

/**
 * What a deployment moves traffic on. Generic by `kind`: the lock key, the router and the events follow the
 * kind, so a second platform adds a kind here and a router in functions/services/routers, not a second graph.
 */
export type TrafficTarget = LambdaAliasTarget | ListenerWeightsTarget;

/** A Lambda alias shifting from `fromVersion` to `toVersion` (AdditionalVersionWeights). */
export interface LambdaAliasTarget {
  kind: "lambda-alias";
  /** As the input gave it: a name, a partial ARN (`123456789012:function:name`) or a full ARN. */
  functionName: string;
  alias: string;
  fromVersion: string;
  toVersion: string;
}

/**
 * An ELBv2 listener or rule whose weighted forward action moves traffic from the blue target group to the green
 * one (ECS blue/green, docs/ecs.md). `config` names the deployment config for messages.
 */
export interface ListenerWeightsTarget {
  kind: "listener-weights";
  routeArn: string;
  blue: string;
  green: string;
  config: string;
}

/** Partition, region and account a name is resolved in (those of the execution when the input gives a bare name). */
export interface Placement {
  partition: string;
  region: string;
  account: string;
}

/** The placement of any ARN (`arn:<partition>:<service>:<region>:<account>:...`). */
export function placementOfArn(arn: string): Placement {
  const [prefix, partition, , region, account] = arn.split(":");
  if (prefix !== "arn" || !partition || !region || !/^\d{12}$/.test(account ?? "")) {
    throw new ValidationError("executionArn", `is not an ARN with a region and an account: ${arn}`);
  }
  return { partition, region, account: account as string };
}

const FULL_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9-_]{1,64})$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_]{1,64})$/;
const NAME = /^[a-zA-Z0-9-_]{1,64}$/;

/**
 * A Lambda function reference in its canonical form: the unqualified function ARN. Lambda accepts a name, a
 * partial ARN or a full ARN for the same function (Lambda API reference, FunctionName "Name formats"); the
 * missing parts come from `where`. Names are kept exactly: Lambda names are case-sensitive (the API's name
 * pattern `[a-zA-Z0-9-_]+` admits both cases, and ARNs are compared exactly), so `Orders` and `orders` are two
 * functions and two targets.
 */
export function canonicalFunctionArn(functionName: string, where: Placement, field = "functionName"): string {
  const full = FULL_ARN.exec(functionName);
  if (full) return functionName;
  const partial = PARTIAL_ARN.exec(functionName);
  if (partial) return `arn:${where.partition}:lambda:${where.region}:${partial[1]}:function:${partial[2]}`;
  if (NAME.test(functionName)) return `arn:${where.partition}:lambda:${where.region}:${where.account}:function:${functionName}`;
  throw new ValidationError(field, `must be a Lambda function name, partial ARN or ARN, got ${JSON.stringify(functionName)}`);
}

/** The function's name part (`orders` of any of its three forms). */
export function functionNameOf(functionName: string): string {
  return functionName.split(":").at(-1) ?? functionName;
}

/**
 * The key of a target's lock: one deployment at a time per key, whatever its group. For a Lambda alias, the
 * alias ARN as GetAlias returns it (`arn:aws:lambda:<region>:<account>:function:<name>:<alias>`), so a function
 * given by name, partial ARN or ARN locks the same thing.
 */
export function targetKey(target: TrafficTarget, where: Placement): string {
  switch (target.kind) {
    case "lambda-alias":
      return `${canonicalFunctionArn(target.functionName, where)}:${target.alias}`;
    case "listener-weights":
      return `elbv2:${target.routeArn}`;
  }
}
