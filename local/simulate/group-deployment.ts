import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { ValidationErrors } from "../../functions/domain/errors.js";
import { snsWorldOf } from "../account/sns/index.js";
import type { PublishedMessage } from "../account/sns/world.js";
import type { ExecutionReport } from "../runtime/runtime.js";
import { buildBundle } from "./release/bundle-dir.js";
import { PROJECT_ROOT } from "./run-scenario.js";
import { type SimWorld, openSimWorld } from "./world.js";
import { ecsWorldOf } from "../account/ecs/index.js";
import { elbv2WorldOf } from "../account/elbv2/index.js";
import { ssmWorldOf } from "../account/ssm/index.js";
import { parseInstallOutput } from "../../functions/domain/server-install/index.js";

/**
 * `stepdeploy deploy --application A --deployment-group G --s3-location ... --simulate world.json`: the world file is
 * the account as it is (the simulated account's setup), the buckets s3rver serves and what was uploaded to them
 * (`uploads: [{bucket, key, bundle}]`, a directory under the world file's folder or the project, packed as the key's
 * bundle type). The group comes from the local stage's groups (config/groups.local.yml). docs/groups.md.
 */
export interface GroupWorld {
  account: Record<string, unknown>;
  /**
   * A groups file (YAML or JSON, relative to the world file's folder or the project) that replaces the local stage's
   * for this run, as a pipeline scenario's `groups` does: a group that does not fit beside the stage's 3 KB.
   */
  groupsFile?: string;
  s3?: { buckets?: string[] };
  uploads?: { bucket: string; key: string; bundle: string; bundleType?: string }[];
}

export interface GroupRunReport {
  /** The state machine that ran it: the group's platform's (deploy-lambda, deploy-ecs, deploy-server). */
  machine: string;
  execution: ExecutionReport;
  /** Every weight change of the deployment's alias, in simulated seconds. */
  aliasChanges: { atSeconds: number; functionName: string; alias: string; functionVersion: string; additionalVersionWeights: Record<string, number> }[];
  events: { atSeconds: number; detail: Record<string, unknown>; resources?: string[] }[];
  /** What the group's triggers published to SNS. */
  notifications: PublishedMessage[];
  uploads: string[];
  /** ECS, and a Server weighted reroute: every change of what a listener forwards, by target group name (setup excluded). */
  routeChanges?: { atSeconds: number; resource: string; weights: Record<string, number> }[];
  /** ECS: the service's task sets at the end (deleted ones left out). */
  taskSets?: { status: string; taskDefinition: string }[];
  /** Server: per instance, its lifecycle events as its command reported them (`Event:Status[:code]`), and the revision it has now. */
  instances?: { instanceId: string; events: string[]; revision: string | null }[];
  /** Server: the instances of each SendCommand, in order (a batch of more than 50 instances is several). */
  commands?: string[][];
}

export function loadGroupWorld(file: string): GroupWorld & { dir: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ValidationErrors([{ field: file, reason: `cannot read the world: ${(e as Error).message}` }], "Simulate.InvalidScenario");
  }
  const w = raw as GroupWorld;
  if (typeof w?.account !== "object" || w.account === null) throw new ValidationErrors([{ field: `${file}: account`, reason: "must be an object" }], "Simulate.InvalidScenario");
  return { ...w, dir: join(file, "..") };
}

/** The world's own groups file, resolved (its folder first, then the project), or undefined: the stage's groups. */
export function worldGroupsFile(world: GroupWorld & { dir: string }): string | undefined {
  if (!world.groupsFile) return undefined;
  const found = [join(world.dir, world.groupsFile), join(PROJECT_ROOT, world.groupsFile)].find((f) => existsSync(f));
  if (!found) throw new ValidationErrors([{ field: "groupsFile", reason: `${world.groupsFile} not found (next to the world file or in the project)` }], "Simulate.InvalidScenario");
  return found;
}

const bundleTypeOf = (key: string) => (/\.(tgz|tar\.gz)$/.test(key) ? "tgz" : key.endsWith(".tar") ? "tar" : key.endsWith(".json") ? "JSON" : /\.ya?ml$/.test(key) ? "YAML" : "zip");

export async function simulateGroupDeployment(world: GroupWorld & { dir: string }, request: Record<string, unknown>, machine = "deploy-lambda"): Promise<GroupRunReport> {
  const sim = await openSimWorld(world.account, { s3Buckets: world.s3?.buckets ?? [] });
  // The world's groups replace the stack's for this run (the functions read DEPLOYMENT_GROUPS), as a pipeline scenario's.
  const groupsFile = worldGroupsFile(world);
  const savedGroups = process.env.DEPLOYMENT_GROUPS;
  if (groupsFile) process.env.DEPLOYMENT_GROUPS = JSON.stringify(parseYaml(readFileSync(groupsFile, "utf8")));
  try {
    return await sim.within(async () => {
      const uploads: string[] = [];
      for (const u of world.uploads ?? []) {
        const dir = [join(world.dir, u.bundle), join(PROJECT_ROOT, u.bundle)].find((d) => {
          try {
            return readFileSync(join(d, "appspec.yml")).length > 0;
          } catch {
            return false;
          }
        });
        if (!dir) throw new ValidationErrors([{ field: `uploads ${u.bundle}`, reason: "is not a directory holding appspec.yml" }], "Simulate.InvalidScenario");
        const body = await buildBundle(dir, u.bundleType ?? bundleTypeOf(u.key));
        const out = await sim.s3?.client.send(new PutObjectCommand({ Bucket: u.bucket, Key: u.key, Body: body }));
        uploads.push(`uploaded s3://${u.bucket}/${u.key} (${body.length} bytes, etag ${String(out?.ETag).replace(/"/g, "")})`);
      }
      const run = await sim.startDeployment(request, machine);
      const execution = await run.finished;
      const { account } = sim;
      await account.settled();
      const target = (account.events.find((e) => e.source === "stepdeploy")?.detail ?? {}) as { functionName?: string; alias?: string };
      return {
        machine,
        execution,
        uploads,
        ...platformReport(sim, machine),
        aliasChanges: account.aliasHistory.filter((h) => h.functionName === target.functionName && h.alias === target.alias),
        notifications: snsWorldOf(account).published,
        events: account.events.filter((e) => e.source === "stepdeploy").map((e) => ({ atSeconds: e.atSeconds, detail: e.detail as Record<string, unknown>, resources: e.resources })),
      };
    });
  } finally {
    if (savedGroups === undefined) delete process.env.DEPLOYMENT_GROUPS;
    else process.env.DEPLOYMENT_GROUPS = savedGroups;
    await sim.close();
  }
}

const routeChanges = (sim: SimWorld) =>
  elbv2WorldOf(sim.account)
    .forwardHistory.filter((c) => c.operation !== "setup")
    .map((c) => ({ atSeconds: c.atSeconds, resource: c.resource, weights: c.weights }));

/** What the platform's simulated services say happened: listener weights and task sets (ECS), instances (Server). */
function platformReport(sim: SimWorld, machine: string): Partial<GroupRunReport> {
  if (machine === "deploy-ecs") {
    const ecs = ecsWorldOf(sim.account);
    const taskSets = [...ecs.services.values()].flatMap((svc) =>
      ecs
        .taskSetsAt(svc)
        .filter((t) => t.taskSet.status !== "DRAINING")
        .map((t) => ({ status: t.taskSet.status, taskDefinition: `${t.taskSet.taskDefinition.family}:${t.taskSet.taskDefinition.revision}` })),
    );
    return { routeChanges: routeChanges(sim), taskSets };
  }
  if (machine === "deploy-server") {
    const ssm = ssmWorldOf(sim.account);
    const events: Record<string, string[]> = {};
    for (const c of ssm.commands.values()) for (const inv of ssm.invocationsOf(c.commandId)) events[inv.instanceId] = parseInstallOutput(inv.output).map((e) => `${e.event}:${e.status}${e.errorCode ? `:${e.errorCode}` : ""}`);
    const changes = routeChanges(sim);
    return {
      // A weighted blue/green reroute's listener writes (docs/ec2.md#weighted).
      ...(changes.length ? { routeChanges: changes } : {}),
      commands: [...ssm.commands.values()].map((c) => c.instanceIds),
      instances: [...ssm.instances.keys()].sort().map((id) => ({ instanceId: id, events: events[id] ?? [], revision: ssm.revisionOf(id) ?? null })),
    };
  }
  return {};
}
