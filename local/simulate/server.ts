import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { ExecutionReport } from "../runtime/runtime.js";
import { elbWorldOf } from "../account/elb/index.js";
import { type ClassicElbWorld, DEREGISTERING } from "../account/elb/world.js";
import { elbv2WorldOf } from "../account/elbv2/index.js";
import type { Elbv2World } from "../account/elbv2/world.js";
import { ssmWorldOf } from "../account/ssm/index.js";
import { parseInstallOutput } from "../../functions/domain/server-install/index.js";
import { buildBundle } from "./release/bundle-dir.js";
import { PROJECT_ROOT } from "./run-scenario.js";
import { openSimWorld, type SimWorld } from "./world.js";

/**
 * An EC2/on-premises scenario (events/server/*.json): SSM managed nodes, a revision bundle from events/server/bundles/
 * uploaded to s3rver, the deploy-server input (its revision's eTag is filled in from the upload), and what to expect.
 */
export interface ServerScenario {
  name: string;
  description?: string;
  account: { ssm: unknown; targetGroups?: unknown; loadBalancers?: unknown; classicLoadBalancers?: unknown; ec2?: unknown; autoScaling?: unknown; alarms?: unknown };
  /**
   * Deployments run one after another (a second one sees what the first installed); a deployment's `timeline` is
   * applied with its `atSeconds` counted from its start (e.g. a scale-out while it runs).
   */
  deployments: { bundle: string; input: Record<string, unknown>; timeline?: { atSeconds: number; [key: string]: unknown }[] }[];
}

export interface ServerRunReport {
  deploymentId: string;
  status: ExecutionReport["status"];
  error?: string;
  cause?: string;
  /** Instances per SendCommand, in order. */
  commands: string[][];
  /** Per instance, its lifecycle events as its commands reported them (`Event:Status[:code]`), BlockTraffic/AllowTraffic included. */
  events: Record<string, string[]>;
  /** Each batch execution in order: its instances, when it ended, and every target group's targets then (id -> state). */
  batches: { instances: string[]; endedAtSeconds: number; targets: TargetsView; traffic: { state: string; atSeconds: number; targets: TargetsView }[] }[];
  /** Executions: the deployment and its batches; the largest history among them. */
  executions: number;
  largestHistory: number;
  /** `apiCalls`: every call to the simulated account's services (SSM, ELBv2, EC2, Auto Scaling, CloudWatch, EventBridge, Step Functions). */
  stats: { stateTransitions: number; historyEvents: number; lambdaInvocations: number; ssmCalls: number; apiCalls: number; estimatedCostUsd: number; simulatedSeconds: number };
}

export const loadServerScenario = (name: string): ServerScenario => JSON.parse(readFileSync(join(PROJECT_ROOT, "events", "server", `${name}.json`), "utf8")) as ServerScenario;

const BUCKET = "server-bundles";

/** A server world kept open: deploy the scenario's deployments one by one, follow executions the workflow starts (rollbacks). */
export interface ServerWorld {
  world: SimWorld;
  /** Uploads the bundle, starts deploy-server and waits for the deployment and its batches. */
  deploy(d: ServerScenario["deployments"][number]): Promise<ServerRunReport>;
  /** Waits for a deployment the workflow started itself (a rollback), by its id. */
  follow(deploymentId: string): Promise<ServerRunReport>;
  /** Every instance's last successful revision (deployment id). */
  revisions(): Record<string, string | null>;
  close(): Promise<void>;
}

export async function openServerWorld(scenario: ServerScenario & { timeline?: unknown[] }): Promise<ServerWorld> {
  const world = await openSimWorld(scenario.account, { s3Buckets: [BUCKET], ...(scenario.timeline ? { timeline: scenario.timeline } : {}) });
  const ssm = ssmWorldOf(world.account);
  const reportOf = async (deploymentId: string, finished: Promise<ExecutionReport>, calls: Record<string, number>): Promise<ServerRunReport> => {
    const result = await finished;
    const batches = await Promise.all(world.account.sfn.executions.filter((e) => e.name.startsWith(`${deploymentId}-batch-`)).map((e) => world.wired.finished(e.executionArn)));
    const all = [result, ...batches];
    const after = world.account.callCounts();
    const callsOf = (prefix: string) => Object.entries(after).filter(([k]) => k.startsWith(prefix)).reduce((sum, [k, v]) => sum + v - (calls[k] ?? 0), 0);
    const ssmCalls = callsOf("SSM.");
    const sum = (k: "stateTransitions" | "historyEvents" | "lambdaInvocations" | "estimatedCostUsd") => Number(all.reduce((a, r) => a + r.stats[k], 0).toFixed(6));
    const sent = [...ssm.commands.values()].filter((c) => c.comment === `stepdeploy ${deploymentId}`);
    const ordered = batches.sort((a, b) => batchNumber(a.executionName) - batchNumber(b.executionName));
    const events = instanceEvents(sent, ssm, ordered);
    const elb = elbv2WorldOf(world.account);
    const classic = elbWorldOf(world.account);
    const batchViews = ordered.map((b) => {
      const endedAtSeconds = b.trace.at(-1)?.atSeconds ?? 0;
      // Right after each traffic step of the batch (the same simulated second: a deregistration shows as draining).
      const traffic = b.integrationCalls.filter((c) => TRAFFIC_STATES.has(c.state)).map((c) => ({ state: c.state, atSeconds: c.atSeconds, targets: targetsAt(elb, classic, c.atSeconds) }));
      return { instances: batchInstances(b), endedAtSeconds, targets: targetsAt(elb, classic, endedAtSeconds), traffic };
    });
    return {
      deploymentId,
      events,
      batches: batchViews,
      status: result.status,
      error: result.error,
      cause: result.cause,
      commands: sent.map((c) => c.instanceIds),
      executions: all.length,
      largestHistory: Math.max(...all.map((r) => r.stats.historyEvents)),
      stats: { stateTransitions: sum("stateTransitions"), historyEvents: sum("historyEvents"), lambdaInvocations: sum("lambdaInvocations"), ssmCalls, apiCalls: callsOf(""), estimatedCostUsd: sum("estimatedCostUsd"), simulatedSeconds: result.stats.simulatedSeconds },
    };
  };
  return {
    world,
    deploy: (d) =>
      world.within(async () => {
        const body = await buildBundle(join(PROJECT_ROOT, "events", "server", "bundles", d.bundle), "zip");
        const key = `${d.bundle}.zip`;
        const put = await world.s3!.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
        const input: Record<string, unknown> = { ...d.input, revision: { bucket: BUCKET, key, eTag: put.ETag ?? "", bundleType: "zip" } };
        const calls = world.account.callCounts();
        const at = world.clock.elapsedSeconds();
        if (d.timeline) world.account.applyTimeline(d.timeline.map((e) => ({ ...e, atSeconds: at + e.atSeconds })));
        const run = await world.startDeployment(input, "deploy-server");
        return reportOf(String(input.deploymentId), run.finished, calls);
      }),
    follow: (deploymentId) =>
      world.within(async () => {
        const execution = world.account.sfn.executions.find((e) => e.name === deploymentId);
        if (!execution) throw new Error(`no execution named ${deploymentId}`);
        return reportOf(deploymentId, world.wired.finished(execution.executionArn), {});
      }),
    revisions: () => Object.fromEntries([...ssm.instances.keys()].map((id) => [id, ssm.revisionOf(id) ?? null])),
    close: () => world.close(),
  };
}

/** Runs every deployment of the scenario on the local engine against the simulated account; returns one report each and the instances' revisions. */
export async function runServerScenario(scenario: ServerScenario): Promise<{ reports: ServerRunReport[]; revisions: Record<string, string | null> }> {
  const w = await openServerWorld(scenario);
  try {
    const reports: ServerRunReport[] = [];
    for (const d of scenario.deployments) reports.push(await w.deploy(d));
    return { reports, revisions: w.revisions() };
  } finally {
    await w.close();
  }
}

/** Target group name -> target id -> state (DescribeTargetHealth's), at one simulated second. */
export type TargetsView = Record<string, Record<string, string>>;

const TRAFFIC_STATES = new Set(["BlockTraffic", "CheckTraffic", "AllowTraffic"]);

const batchNumber = (name: string): number => Number(/-batch-(\d+)$/.exec(name)?.[1] ?? 0);

/** The instances a batch execution was given (its input's `batch`, as its first SendCommands received it). */
function batchInstances(b: ExecutionReport): string[] {
  const first = b.integrationCalls.find((c) => c.state === "SendCommands")?.params as { Payload?: { batch?: string[] } } | undefined;
  return first?.Payload?.batch ?? [];
}

/**
 * Per instance, the lifecycle events of every command it got, in order; between the segments of a deployment behind
 * target groups, BlockTraffic and AllowTraffic: Succeeded when the instance got the next command, Failed as its batch
 * reported it.
 */
function instanceEvents(sent: { commandId: string; script: string }[], ssm: ReturnType<typeof ssmWorldOf>, batches: ExecutionReport[]): Record<string, string[]> {
  const events: Record<string, string[]> = {};
  for (const c of sent) {
    const header = /^# stepdeploy \S+: (.*)$/m.exec(c.script)?.[1] ?? "";
    const before = header.startsWith("AfterBlockTraffic") ? "BlockTraffic:Succeeded" : header.startsWith("AfterAllowTraffic") ? "AllowTraffic:Succeeded" : undefined;
    for (const inv of ssm.invocationsOf(c.commandId)) {
      const list = events[inv.instanceId] ?? [];
      if (before) list.push(before);
      list.push(...parseInstallOutput(inv.output).map((e) => `${e.event}:${e.status}${e.errorCode ? `:${e.errorCode}` : ""}`));
      events[inv.instanceId] = list;
    }
  }
  for (const b of batches) {
    for (const o of (b.output as { outcomes?: { instanceId: string; status: string; event?: string }[] } | undefined)?.outcomes ?? []) {
      if (o.status === "Failed" && (o.event === "BlockTraffic" || o.event === "AllowTraffic")) events[o.instanceId] = [...(events[o.instanceId] ?? []), `${o.event}:Failed`];
    }
  }
  return events;
}

/** Every target group's (and Classic Load Balancer's) targets at simulated second `t`, as DescribeTargetHealth would list them (id -> state). */
function targetsAt(elb: Elbv2World | undefined, classic: ClassicElbWorld | undefined, t: number): TargetsView {
  const out: TargetsView = {};
  for (const tg of elb?.targetGroups.values() ?? []) out[tg.name] = Object.fromEntries(elb!.health(tg.arn, t).map(({ target, health }) => [target.id, health.state]));
  // Classic Load Balancers: DescribeInstanceHealth's state, `deregistering` while connection draining.
  for (const name of classic?.loadBalancers.keys() ?? []) out[name] = Object.fromEntries(classic!.health(name, undefined, t).map((s) => [s.instanceId, s.description === DEREGISTERING ? "deregistering" : s.state]));
  return out;
}
