import { GetAliasCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { createElbv2Adapter } from "../../functions/adapters/elbv2.js";
import { newDeploymentId } from "../../functions/domain/deployment/ids.js";
import { isEcsInput } from "../../functions/domain/ecs/input.js";
import { useClock } from "../../functions/lib/clock.js";
import { SimClock } from "../clock.js";
import { stackOwnedNames } from "../runtime/owned-names.js";
import { type ExecutionReport, LocalRuntime } from "../runtime/runtime.js";
import { loadStack } from "../runtime/stack.js";
import { WallClock } from "../runtime/wall-clock.js";
import { readableCause } from "../simulate/after-run.js";
import { withAwsEndpoint } from "../simulate/endpoint-env.js";
import { PROJECT_ROOT } from "../simulate/run-scenario.js";
import { type OwnedName, type OwnedResource, ensureOwnedResources } from "./owned-resources.js";
import { decideRunModes, isServerInput } from "./run-modes.js";

/**
 * `stepdeploy run`: the same workflow and handlers as `simulate`, executed locally against any AWS-compatible
 * endpoint (LocalStack, moto, the simulated account served over HTTP, or AWS itself when no endpoint is given).
 * The user's resources (function, versions, alias, alarms, hooks) must exist there; stepdeploy's own (registry
 * table, event bus) are created when missing (owned-resources.ts). An input the local runner cannot run is refused
 * before anything is created (run-modes.ts: RunRefused). Region and credentials come from the standard AWS
 * environment.
 */
export interface RunReport {
  status: ExecutionReport["status"];
  error?: string;
  /** Readable: a Lambda error's message, never its JSON. */
  cause?: string;
  deploymentId: string;
  /** `real`: --real-time, every time below is wall-clock time; `compressed`: waits took no time, times are the run's clock. */
  clock: "real" | "compressed";
  startedAt: string;
  endedAt: string;
  /** Choices made for the user (e.g. alarm polling), also printed before the run. */
  notices: string[];
  /** The registry table and event bus: created by this run, or used as found. */
  owned: OwnedResource[];
  finalAlias?: { functionVersion: string; additionalVersionWeights: Record<string, number> };
  /** ECS: what the production (and test) route forwards at the end, by target group name. */
  finalRoutes?: Record<string, Record<string, number>>;
  timeline: { atSeconds: number; at: string; weight: number }[];
  events: { atSeconds: number; detail: Record<string, unknown> }[];
  stats: ExecutionReport["stats"];
}

export interface RunOptions {
  endpoint?: string;
  dynamoDbEndpoint?: string;
  /** The region every client of the run uses (the CLI's banner names it); defaults to the SDK's resolution. */
  region?: string;
  realTime?: boolean;
  machine?: string;
  root?: string;
  /** `--table`: an existing registry table. Otherwise STEPDEPLOY_TABLE of `env`, else the stack's (created when missing). */
  table?: string;
  /** `--event-bus`: an existing bus. Otherwise the stack's (created when missing). */
  eventBus?: string;
  /** The user's environment (STEPDEPLOY_TABLE); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  onProgress?: (line: string) => void;
  /** Called once stepdeploy's own resources are in place and the choices are made, before the execution starts. */
  onReady?: (ready: { owned: OwnedResource[]; notices: string[] }) => void;
}

function ownedNames(opts: RunOptions, defaults: { table: string; eventBus: string }): { table: OwnedName; eventBus: OwnedName } {
  const envTable = (opts.env ?? process.env).STEPDEPLOY_TABLE;
  const table: OwnedName =
    opts.table !== undefined ? { name: opts.table, source: "flag" } : envTable ? { name: envTable, source: "environment" } : { name: defaults.table, source: "stack default" };
  const eventBus: OwnedName = opts.eventBus !== undefined ? { name: opts.eventBus, source: "flag" } : { name: defaults.eventBus, source: "stack default" };
  return { table, eventBus };
}

/** Runs `fn` and puts back the variables the runtime gives the in-process handlers, so the user's own survive the run. */
async function keepingEnvironment<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Throws RunRefused (nothing created, nothing called) when the input or a named resource cannot be used. */
export async function runInput(rawInput: Record<string, unknown>, opts: RunOptions = {}): Promise<RunReport> {
  const deploymentId = (rawInput.deploymentId as string | undefined) ?? newDeploymentId();
  const realTime = opts.realTime ?? false;
  const { input, notices } = decideRunModes(rawInput, { realTime });
  const root = opts.root ?? PROJECT_ROOT;
  const stack = loadStack(root);
  const names = ownedNames(opts, stackOwnedNames(stack));
  return withAwsEndpoint(
    opts.endpoint,
    () =>
      keepingEnvironment(Object.keys(stack.environment), async () => {
        const owned = await ensureOwnedResources(names);
        opts.onReady?.({ owned, notices });
        // --real-time: the handlers, the timeline and the registry read the wall clock; otherwise a clock that
        // starts now and jumps through every wait.
        const clock = realTime ? new WallClock() : new SimClock(Date.now());
        const restoreClock = useClock(() => clock.now());
        const runtime = new LocalRuntime(root, clock, { realTime, names: { table: names.table.name, eventBus: names.eventBus.name } });
        const startedAt = clock.date().toISOString();
        const exec = runtime.start(opts.machine ?? machineFor(input), { ...input, deploymentId }, {
          executionName: deploymentId,
          onTrace: (t) => t.kind === "entered" && opts.onProgress?.(`t+${Math.round(t.atSeconds)}s ${t.state}`),
        });
        const result = await exec.result.finally(restoreClock);
        const endedAt = clock.date().toISOString();
        const { timeline, events } = readCalls(result, Date.parse(startedAt));
        return {
          status: result.status,
          error: result.error,
          cause: readableCause(result.cause),
          deploymentId,
          clock: realTime ? "real" : "compressed",
          startedAt,
          endedAt,
          notices,
          owned,
          ...(isEcsInput(input) ? { finalRoutes: await readRoutes(input) } : isServerInput(input) ? {} : { finalAlias: await readAlias(String(input.functionName), String(input.alias)) }),
          timeline,
          events,
          stats: result.stats,
        } satisfies RunReport;
      }),
    { simulatedCredentials: false, dynamoDbEndpoint: opts.dynamoDbEndpoint, region: opts.region },
  );
}

/** Traffic moves in ShiftTraffic (the weight it wrote) and RollBack (back to 0 when it restored); events are PutEvents entries. */
function readCalls(result: ExecutionReport, startMs: number): Pick<RunReport, "timeline" | "events"> {
  const timeline: RunReport["timeline"] = [];
  const events: RunReport["events"] = [];
  const moved = (atSeconds: number, weight: number) => timeline.push({ atSeconds: Math.round(atSeconds * 1000) / 1000, at: new Date(startMs + atSeconds * 1000).toISOString(), weight });
  for (const c of result.integrationCalls) {
    if (!c.ok) continue;
    const answer = (c.result as { Payload?: { weight?: number; rollback?: boolean } } | undefined)?.Payload;
    if (c.state === "ShiftTraffic" && (timeline.at(-1)?.weight !== answer?.weight || timeline.length === 0)) moved(c.atSeconds, Number(answer?.weight));
    if (c.state === "RollBack" && answer?.rollback === true) moved(c.atSeconds, 0);
    if (c.resource.endsWith(":events:putEvents")) {
      for (const e of ((c.params as { Entries?: { Detail?: unknown }[] }).Entries ?? [])) {
        events.push({ atSeconds: c.atSeconds, detail: (typeof e.Detail === "string" ? JSON.parse(e.Detail) : e.Detail) as Record<string, unknown> });
      }
    }
  }
  return { timeline, events };
}

/** The state machine an input is for: an ECS input (`ecs`) runs deploy-ecs, anything else deploy-lambda. */
export const machineFor = (input: Record<string, unknown>): string => (isEcsInput(input) ? "deploy-ecs" : isServerInput(input) ? "deploy-server" : "deploy-lambda");

/** The routes of an ECS input (`prodTrafficRoute`, `testTrafficRoute`: a listener or rule ARN) as the endpoint has them now. */
async function readRoutes(input: Record<string, unknown>): Promise<Record<string, Record<string, number>>> {
  const ecs = (input.ecs ?? {}) as Record<string, { listenerArn?: string; ruleArn?: string } | undefined>;
  const lb = createElbv2Adapter();
  const out: Record<string, Record<string, number>> = {};
  for (const which of ["prodTrafficRoute", "testTrafficRoute"]) {
    const arn = ecs[which]?.listenerArn ?? ecs[which]?.ruleArn;
    if (!arn) continue;
    const route = await lb.readRoute(arn).catch(() => undefined);
    if (route) out[which] = Object.fromEntries(route.targetGroups.map((g) => [g.targetGroupArn.split("/")[1] ?? g.targetGroupArn, g.weight]));
  }
  return out;
}

async function readAlias(functionName: string, alias: string): Promise<RunReport["finalAlias"]> {
  const client = new LambdaClient({});
  try {
    const a = await client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
    return { functionVersion: a.FunctionVersion ?? "", additionalVersionWeights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
