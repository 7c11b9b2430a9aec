import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { followUpIdOf } from "../functions/services/server/follow-up.js";
import { launchDeploymentIdOf } from "../functions/services/server/launch.js";
import { terminationDeploymentIdOf } from "../functions/services/server/termination.js";
import { loadServerScenario, openServerWorld, type ServerRunReport, runServerScenario, type ServerScenario } from "../local/simulate/server.js";
import { markdownTable } from "./table.js";

/**
 * EC2/on-premises in-place deployments at 10, 100 and 1000 instances: the real deploy-server and deploy-server-batch
 * machines and handlers against the simulated SSM (every instance succeeds, 2 simulated seconds per lifecycle event,
 * results read every 15 s). History is per execution: the deployment's own and its largest batch child's.
 * SSM Run Command has no charge of its own on EC2 (on-premises nodes need the advanced tier only for Session Manager);
 * the cost column is Step Functions transitions plus Lambda time, as for the other benches.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** `stopAtMinutes`: `stepdeploy stop` then (in the termination wait): the rollback through the hooks is measured. */
type BlueGreenRow = { provisioning: "DISCOVER_EXISTING" | "COPY_AUTO_SCALING_GROUP"; end: { action: "TERMINATE" | "KEEP_ALIVE"; terminationWaitTimeInMinutes?: number }; trafficRouting?: string; stopAtMinutes?: number };

const FLEETS: { instances: number; config: unknown; label: string; targetGroup?: true; classic?: true; blueGreen?: BlueGreenRow }[] = [
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "OneAtATime" },
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "OneAtATime, 1 target group", targetGroup: true },
  // Its twin behind a Classic Load Balancer (elbInfoList) with the same timings: drain 300 s, InService after 5 checks 30 s apart.
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "OneAtATime, 1 Classic Load Balancer", classic: true },
  { instances: 10, config: "CodeDeployDefault.HalfAtATime", label: "HalfAtATime" },
  { instances: 100, config: "CodeDeployDefault.HalfAtATime", label: "HalfAtATime" },
  { instances: 100, config: "CodeDeployDefault.AllAtOnce", label: "AllAtOnce" },
  { instances: 1000, config: { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 90 } }, label: "FLEET_PERCENT 90" },
  { instances: 1000, config: "CodeDeployDefault.AllAtOnce", label: "AllAtOnce" },
  { instances: 1000, config: "CodeDeployDefault.OneAtATime", label: "OneAtATime" },
  // Blue/green: as many replacement instances as originals, one ALB target group with ELBv2's defaults.
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "blue/green DISCOVER_EXISTING, OneAtATime, KEEP_ALIVE", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "KEEP_ALIVE" } } },
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "blue/green COPY_AUTO_SCALING_GROUP, OneAtATime, TERMINATE after 60 min", blueGreen: { provisioning: "COPY_AUTO_SCALING_GROUP", end: { action: "TERMINATE", terminationWaitTimeInMinutes: 60 } } },
  { instances: 100, config: "CodeDeployDefault.HalfAtATime", label: "blue/green DISCOVER_EXISTING, HalfAtATime, TERMINATE", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "TERMINATE" } } },
  { instances: 1000, config: { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 90 } }, label: "blue/green DISCOVER_EXISTING, FLEET_PERCENT 90, TERMINATE", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "TERMINATE" } } },
  // Weighted reroute on the listener (docs/ec2.md#weighted): green in a second target group, the listener's steps.
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "blue/green weighted, ECSCanary10Percent5Minutes, KEEP_ALIVE", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "KEEP_ALIVE" }, trafficRouting: "CodeDeployDefault.ECSCanary10Percent5Minutes" } },
  { instances: 100, config: "CodeDeployDefault.HalfAtATime", label: "blue/green weighted, ECSLinear10PercentEvery1Minutes, TERMINATE", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "TERMINATE" }, trafficRouting: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes" } },
  // Blue/green rollback: a stop 30 minutes into a 60-minute termination wait; the originals' restore, then green's block.
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "blue/green rollback (stop in the termination wait), OneAtATime", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "TERMINATE", terminationWaitTimeInMinutes: 60 }, stopAtMinutes: 30 } },
  { instances: 100, config: "CodeDeployDefault.HalfAtATime", label: "blue/green rollback (stop in the termination wait), HalfAtATime", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "TERMINATE", terminationWaitTimeInMinutes: 60 }, stopAtMinutes: 30 } },
  { instances: 10, config: "CodeDeployDefault.OneAtATime", label: "blue/green weighted rollback (stop in the termination wait), ECSCanary10Percent5Minutes", blueGreen: { provisioning: "DISCOVER_EXISTING", end: { action: "TERMINATE", terminationWaitTimeInMinutes: 60 }, trafficRouting: "CodeDeployDefault.ECSCanary10Percent5Minutes", stopAtMinutes: 30 } },
];

/** The weighted rows' listener: its ids fix its ARN. */
const WEIGHTED_LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/0a0b0c0d0e0f1011/1213141516171819";

/**
 * The fleet; with `targetGroup`, every instance registered in one ALB target group with ELBv2's defaults (health check
 * every 30 s, healthy after 5, deregistration delay 300 s): each batch drains for 5 minutes and takes 2.5 to be healthy.
 */
function scenario(instances: number, config: unknown, targetGroup = false, classic = false): ServerScenario {
  const base = loadServerScenario("fleet-1000");
  const [deployment] = base.deployments;
  const ids = Array.from({ length: instances }, (_, k) => `i-0f${String(k + 1).padStart(15, "0")}`);
  const elb = targetGroup
    ? {
        targetGroups: [{ name: "orders-web", protocol: "HTTP", port: 80, targetType: "instance", targets: ids.map((id) => ({ id })) }],
        loadBalancers: [{ name: "orders", type: "application", listeners: [{ port: 80, protocol: "HTTP", forward: "orders-web" }] }],
      }
    : {};
  // ELBv2's defaults on the Classic Load Balancer, so the two rows differ by the API only.
  const clb = classic ? { classicLoadBalancers: [{ name: "orders-classic", healthCheck: { intervalSeconds: 30, healthyThreshold: 5, unhealthyThreshold: 2 }, connectionDraining: { enabled: true, timeoutSeconds: 300 }, instances: ids.map((id) => ({ id })) }] } : {};
  return {
    ...base,
    account: { ssm: { count: { prefix: "i-0f", n: instances, tags: { app: "orders" } } }, ...elb, ...clb },
    deployments: [{ bundle: deployment!.bundle, input: { ...deployment!.input, deploymentConfig: config, pollSeconds: 15, ...(targetGroup ? { targetGroups: ["orders-web"] } : {}), ...(classic ? { classicLoadBalancers: ["orders-classic"] } : {}) } }],
  };
}

/**
 * A blue/green fleet: `instances` originals and as many replacements (DISCOVER_EXISTING: tagged fleet=blue and
 * fleet=green; COPY_AUTO_SCALING_GROUP: an Auto Scaling group from a launch template, copied), the originals registered
 * in one ALB target group with ELBv2's defaults.
 */
function blueGreenScenario(instances: number, config: unknown, bg: BlueGreenRow): ServerScenario {
  const base = loadServerScenario("fleet-1000");
  const [deployment] = base.deployments;
  const copy = bg.provisioning === "COPY_AUTO_SCALING_GROUP";
  const node = (prefix: string, k: number, fleet: string) => ({ id: `${prefix}${String(k + 1).padStart(15, "0")}`, tags: { app: "orders", fleet } });
  const blue = copy ? [] : Array.from({ length: instances }, (_, k) => node("i-0b", k, "blue"));
  const green = copy ? [] : Array.from({ length: instances }, (_, k) => node("i-0c", k, "green"));
  const targets = copy ? Array.from({ length: instances }, (_, k) => ({ id: `i-0a5${(k + 1).toString(16).padStart(14, "0")}` })) : blue.map((n) => ({ id: n.id }));
  const account = {
    ssm: { instances: [...blue, ...green] },
    ...(copy ? { ec2: { launchTemplates: [{ name: "orders-web" }] }, autoScaling: { groups: [{ name: "orders-asg", launchTemplate: "orders-web", desiredCapacity: instances, maxSize: instances * 2, tags: { app: "orders" } }] } } : {}),
    targetGroups: [{ name: "orders-web", protocol: "HTTP", port: 80, targetType: "instance", targets }, ...(bg.trafficRouting ? [{ name: "orders-green", protocol: "HTTP", port: 80, targetType: "instance", targets: [] }] : [])],
    loadBalancers: [{ name: "orders", type: "application", id: "0a0b0c0d0e0f1011", listeners: [{ port: 80, protocol: "HTTP", forward: "orders-web", id: "1213141516171819" }] }],
  };
  const weighted = bg.trafficRouting ? { trafficRouting: { prodTrafficRoute: { listenerArn: WEIGHTED_LISTENER }, deploymentConfig: bg.trafficRouting } } : {};
  const blueGreen = { greenFleetProvisioningOption: { action: bg.provisioning }, terminateBlueInstancesOnDeploymentSuccess: bg.end, ...(copy ? {} : { targetInstances: { tags: { fleet: "green" } } }), ...weighted };
  const target = copy ? { autoScalingGroups: ["orders-asg"] } : { tags: { fleet: "blue" } };
  const targetGroups = bg.trafficRouting ? ["orders-web", "orders-green"] : ["orders-web"];
  const stop = bg.stopAtMinutes ? { timeline: [{ atSeconds: bg.stopAtMinutes * 60, action: "stop", input: { deploymentId: deployment!.input.deploymentId } }] } : {};
  return { ...base, account, deployments: [{ bundle: deployment!.bundle, input: { ...deployment!.input, target, deploymentConfig: config, pollSeconds: 15, targetGroups, blueGreen }, ...stop }] };
}

export interface ServerBenchRow {
  instances: number;
  config: string;
  outcome: string;
  batches: number;
  executions: number;
  stateTransitions: number;
  historyEvents: number;
  largestHistory: number;
  ssmCalls: number;
  apiCalls: number;
  lambdaInvocations: number;
  simulatedMinutes: number;
  estimatedCostUsd: number;
  /** A rollback row: simulated seconds from the stop to the deployment's end (the originals restored, green drained). */
  rollbackSeconds: number | null;
  wallMs: number;
}

export async function benchServer(print: (text: string) => void = console.log, only: (label: string) => boolean = () => true): Promise<ServerBenchRow[]> {
  const rows: ServerBenchRow[] = [];
  for (const f of FLEETS.filter((x) => only(x.label))) {
    const started = Date.now();
    const { reports } = await runServerScenario(f.blueGreen ? blueGreenScenario(f.instances, f.config, f.blueGreen) : scenario(f.instances, f.config, f.targetGroup, f.classic));
    const r = reports[0]!;
    rows.push({
      instances: f.instances,
      config: f.label,
      outcome: r.status,
      batches: r.executions - 1,
      executions: r.executions,
      stateTransitions: r.stats.stateTransitions,
      historyEvents: r.stats.historyEvents,
      largestHistory: r.largestHistory,
      ssmCalls: r.stats.ssmCalls,
      apiCalls: r.stats.apiCalls,
      lambdaInvocations: r.stats.lambdaInvocations,
      simulatedMinutes: Number((r.stats.simulatedSeconds / 60).toFixed(1)),
      estimatedCostUsd: r.stats.estimatedCostUsd,
      rollbackSeconds: f.blueGreen?.stopAtMinutes ? r.stats.simulatedSeconds - f.blueGreen.stopAtMinutes * 60 : null,
      wallMs: Date.now() - started,
    });
  }
  rows.push(...(await benchLaunches()));
  print("\n### EC2/on-premises in place and blue/green (SSM Run Command, one child execution per batch)\n");
  print(
    markdownTable(rows, [
      { key: "instances", title: "instances" },
      { key: "config", title: "config" },
      { key: "outcome", title: "outcome" },
      { key: "batches", title: "batches" },
      { key: "stateTransitions", title: "transitions (all executions)" },
      { key: "historyEvents", title: "history events (all)" },
      { key: "largestHistory", title: "largest execution's history", format: (v) => (Number(v) > 25000 ? `**${v}** (over the 25,000 cap)` : String(v)) },
      { key: "ssmCalls", title: "SSM calls", format: (v) => (Number(v) < 0 ? "n/a" : String(v)) },
      { key: "apiCalls", title: "AWS API calls (all)", format: (v) => (Number(v) < 0 ? "n/a (beside v2)" : String(v)) },
      { key: "lambdaInvocations", title: "our Lambda invocations" },
      { key: "simulatedMinutes", title: "simulated min" },
      { key: "estimatedCostUsd", title: "est. cost", format: (v) => `$${Number(v).toFixed(6)}` },
      { key: "rollbackSeconds", title: "rollback s (stop to end)", format: (v) => (v === null ? "-" : String(v)) },
      { key: "wallMs", title: "local wall ms" },
    ]),
  );
  return rows;
}

/**
 * The launch deployment under the launch lifecycle hook (events/server/scale-out-mid-deployment and
 * launch-deployment-fails): one instance in Pending:Wait gets the group's last good revision while v2 runs, then the
 * workflow completes its lifecycle action (CONTINUE, or ABANDON when it fails); the termination deployment under the
 * termination hook (scale-in-termination-hook): one instance in Terminating:Wait drained and stopped, then CONTINUE. Its own execution's transitions,
 * history and Lambda invocations; its API calls are not told apart from v2's, which runs at the same time (n/a).
 */
export async function benchLaunches(): Promise<ServerBenchRow[]> {
  const rows: ServerBenchRow[] = [];
  const launched = (groupId: string) => launchDeploymentIdOf(groupId, "i-0a500000000000004");
  const scaledIn = (groupId: string) => terminationDeploymentIdOf(groupId, "i-0a500000000000003");
  const cases = [
    ["scale-out-mid-deployment", "launch deployment, lifecycle hook CONTINUE", launched],
    ["launch-deployment-fails", "launch deployment fails, lifecycle hook ABANDON", launched],
    ["scale-in-termination-hook", "termination deployment (BlockTraffic, ApplicationStop), CONTINUE", scaledIn],
  ] as const;
  for (const [name, label, heldId] of cases) {
    const started = Date.now();
    const scenario = loadServerScenario(name);
    const w = await openServerWorld(scenario);
    try {
      for (const d of scenario.deployments) await w.deploy(d);
      const launchId = heldId(String(scenario.deployments[0]!.input.deploymentGroupId));
      const r: ServerRunReport = await w.follow(launchId);
      // the follow-on deployment (UPDATE) runs on: wait for it before the world closes
      const followUp = followUpIdOf(String(scenario.deployments[1]!.input.deploymentId));
      if (w.world.account.sfn.executions.some((e) => e.name === followUp)) await w.follow(followUp);
      const row = { instances: 1, config: label, outcome: r.status, batches: r.executions - 1, executions: r.executions, stateTransitions: r.stats.stateTransitions, historyEvents: r.stats.historyEvents, largestHistory: r.largestHistory };
      rows.push({ ...row, ssmCalls: -1, apiCalls: -1, lambdaInvocations: r.stats.lambdaInvocations, simulatedMinutes: Number((r.stats.simulatedSeconds / 60).toFixed(1)), estimatedCostUsd: r.stats.estimatedCostUsd, wallMs: Date.now() - started, rollbackSeconds: null });
    } finally {
      await w.close();
    }
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchServer();
  const dir = fileURLToPath(new URL("./results", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "server.json"), `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
}
