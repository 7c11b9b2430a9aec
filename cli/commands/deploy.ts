import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startExecution } from "../../functions/adapters/sfn.js";
import { newDeploymentId } from "../../functions/domain/deployment/ids.js";
import { ValidationErrors } from "../../functions/domain/errors.js";
import { MACHINE_OF, parseGroupDeployment } from "../../functions/domain/groups/index.js";
import { type CommandIO, ExitCode, UsageError } from "../io.js";
import { groupsFile, read } from "../operator/groups-file.js";
import { paint, renderStatus } from "../operator/render.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";
import { watchUntilDone } from "../operator/watch-loop.js";

const USAGE = `usage: stepdeploy deploy --application A --deployment-group G (--s3-location bucket=B,key=K,bundleType=zip[,version=V][,eTag=E] | --target-version N)
                         [--deployment-config-name X] [--description D] [--queue] [--watch] [--simulate world.json]
                         [--target-instances '{"tagFilters":[{"Key":"fleet","Value":"green","Type":"KEY_AND_VALUE"}]}' | file://F.json]
       stepdeploy deploy lambda <input.json> [--config NAME] [--target-version N] [--queue] [--watch]
  both:  [--stage S | --state-machine-arn ARN] [--endpoint URL] [--json]
  (--application-name and --deployment-group-name, as in aws deploy create-deployment, work too)`;

const OPTIONS = {
  ...STACK_OPTIONS,
  config: { type: "string" },
  "target-version": { type: "string" },
  queue: { type: "boolean" },
  watch: { type: "boolean" },
  application: { type: "string" },
  "application-name": { type: "string" },
  "deployment-group": { type: "string" },
  "deployment-group-name": { type: "string" },
  "s3-location": { type: "string" },
  "deployment-config-name": { type: "string" },
  description: { type: "string" },
  "target-instances": { type: "string" },
  simulate: { type: "string" },
} as const;
type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];

/** `bucket=B,key=K,bundleType=zip,version=V,eTag=E`, the AWS CLI's shorthand for S3Location. */
export function parseS3Location(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim();
    if (eq < 1 || !["bucket", "key", "bundleType", "version", "eTag"].includes(key)) {
      throw new UsageError(`--s3-location: '${part}' is not one of bucket=, key=, bundleType=, version=, eTag=`);
    }
    out[key] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * `--target-instances`, CreateDeployment's targetInstances as the AWS CLI takes it in JSON (inline or `file://`):
 * `{tagFilters: [{Key, Value, Type}], autoScalingGroups: [...]}`, the replacement instances of a BLUE_GREEN group's
 * DISCOVER_EXISTING deployment (docs/ec2.md#blue-green). Its fields are checked with the rest of the request.
 */
export function parseTargetInstances(text: string): unknown {
  const json = text.startsWith("file://") ? readFileSync(text.slice("file://".length), "utf8") : text;
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new UsageError(`--target-instances: not JSON (${(e as Error).message}); e.g. '{"tagFilters":[{"Key":"fleet","Value":"green","Type":"KEY_AND_VALUE"}]}' or file://target-instances.json`);
  }
}

/** The group deployment the flags describe, checked as the Start task will check it (fields named as in the input). */
export function groupDeploymentOf(values: Values): Record<string, unknown> {
  const s3 = values["s3-location"];
  const request = {
    application: values.application ?? values["application-name"],
    deploymentGroup: values["deployment-group"] ?? values["deployment-group-name"],
    revision: s3 ? { s3: parseS3Location(s3) } : values["target-version"] ? { targetVersion: values["target-version"] } : {},
    ...(values["deployment-config-name"] ? { deploymentConfigName: values["deployment-config-name"] } : {}),
    ...(values.description ? { description: values.description } : {}),
    ...(values.queue ? { queue: true } : {}),
    ...(values["target-instances"] ? { targetInstances: parseTargetInstances(values["target-instances"]) } : {}),
  };
  try {
    parseGroupDeployment(request);
  } catch (e) {
    if (e instanceof ValidationErrors) throw new UsageError(e.problems.map((p) => `${p.field}: ${p.reason}`).join("; "));
    throw e;
  }
  return request;
}

function fullInputOf(file: string, values: Values): Record<string, unknown> {
  const input = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  if (values.config) input.deploymentConfig = values.config.trim().startsWith("{") ? JSON.parse(values.config) : values.config;
  if (values["target-version"]) input.targetVersion = values["target-version"];
  // Wait in the target's queue instead of failing when another deployment holds the lock.
  if (values.queue) input.queue = true;
  return input;
}

/**
 * The state machine of the group's platform, from the stage's groups file as `groups show` reads it: deploy-lambda,
 * deploy-ecs or deploy-server. A group the file does not declare goes to deploy-lambda, whose Start names the groups
 * that exist (the stack's file may be newer than the one here).
 */
export function machineOfGroup(stage: string, application: unknown, deploymentGroup: unknown, given?: string): (typeof MACHINE_OF)[keyof typeof MACHINE_OF] {
  const file = groupsFile(given, stage);
  const group = existsSync(file) ? read(file).groups.find((g) => g.application === application && g.deploymentGroup === deploymentGroup) : undefined;
  return MACHINE_OF[group?.computePlatform ?? "Lambda"];
}

async function simulatedGroupsFile(worldFile: string): Promise<string | undefined> {
  const { loadGroupWorld, worldGroupsFile } = await import("../../local/simulate/group-deployment.js");
  return worldGroupsFile(loadGroupWorld(worldFile));
}

const at = (s: number) => `${String(s).padStart(6)} s`;

async function simulated(worldFile: string, input: Record<string, unknown>, machine: string, json: boolean, io: CommandIO): Promise<number> {
  const { loadGroupWorld, simulateGroupDeployment } = await import("../../local/simulate/group-deployment.js");
  const r = await simulateGroupDeployment(loadGroupWorld(worldFile), input, machine);
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    for (const u of r.uploads) io.out(u);
    for (const c of r.routeChanges ?? []) io.out(`${at(c.atSeconds)}  ${c.resource} -> ${JSON.stringify(c.weights)}`);
    if (r.taskSets) io.out(`task sets now: ${r.taskSets.map((t) => `${t.taskDefinition} ${t.status}`).join(", ") || "none"}`);
    for (const [n, ids] of (r.commands ?? []).entries()) io.out(`command ${n + 1}: ${ids.join(", ")}`);
    for (const i of r.instances ?? []) io.out(`${i.instanceId}  ${i.events.join(" ") || "no command"}  revision ${i.revision ?? "none"}`);
    for (const c of r.aliasChanges) io.out(`${String(c.atSeconds).padStart(6)} s  ${c.functionName}:${c.alias} -> FunctionVersion ${c.functionVersion} ${JSON.stringify(c.additionalVersionWeights)}`);
    for (const e of r.events) io.out(`${String(e.atSeconds).padStart(6)} s  ${String(e.detail.state)} ${e.detail.application}/${e.detail.deploymentGroup} ${e.detail.deploymentId}${e.detail.reason ? `: ${e.detail.reason}` : ""}`);
    for (const n of r.notifications) io.out(`${String(n.atSeconds).padStart(6)} s  SNS ${n.topicArn.split(":").at(-1)}: ${n.subject ?? ""}`);
    io.out(`${input.deploymentId}  ${r.execution.status}${r.execution.error ? ` ${r.execution.error}: ${r.execution.cause}` : ""}`);
  }
  return r.execution.status === "SUCCEEDED" ? ExitCode.Ok : ExitCode.Failed;
}

export default async function deploy(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [platform, file] = positionals;
  const byGroup = Boolean(values.application ?? values["application-name"] ?? values["deployment-group"] ?? values["deployment-group-name"]);
  if (!byGroup && (platform !== "lambda" || !file)) {
    io.err(USAGE);
    return ExitCode.Usage;
  }
  const input = byGroup ? groupDeploymentOf(values) : fullInputOf(file as string, values);
  const deploymentId = (input.deploymentId as string | undefined) ?? newDeploymentId();
  input.deploymentId = deploymentId;
  // A group's deployment runs on its platform's state machine; --simulate uses the local stage's groups.
  const stage = values.simulate ? "local" : (values.stage ?? io.env.STEPDEPLOY_STAGE ?? "dev");
  // A simulated world may carry its own groups file (local/simulate/group-deployment.ts), which replaces the stage's.
  const worldGroups = values.simulate ? await simulatedGroupsFile(values.simulate) : undefined;
  const machine = byGroup ? machineOfGroup(stage, input.application, input.deploymentGroup, worldGroups) : "deploy-lambda";
  if (values.simulate) return simulated(values.simulate, input, machine, Boolean(values.json), io);
  const cfg = stackConfig(values, io.env);
  if (!values["state-machine-arn"]) cfg.stateMachineArn = cfg.stateMachineArn.replace(/-deploy-lambda$/, `-${machine}`);
  applyStackEnv(values, cfg);
  const { executionArn } = await startExecution(cfg.stateMachineArn, deploymentId, input);
  if (!values.watch) {
    io.out(values.json ? JSON.stringify({ deploymentId, executionArn }) : `${deploymentId}  started (${executionArn})`);
    return ExitCode.Ok;
  }
  const p = paint(io.isTTY, io.env);
  const final = await watchUntilDone(deploymentId, (v) => {
    if (!values.json) for (const l of renderStatus(v, p)) io.out(l);
  });
  if (values.json) io.out(JSON.stringify({ executionArn, ...final }));
  return final.status === "Succeeded" ? ExitCode.Ok : ExitCode.Failed;
}
