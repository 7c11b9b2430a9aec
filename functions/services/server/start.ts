import { loadAppSpec } from "../../domain/appspec/index.js";
import { type ServerDeploymentInput, parseServerInput } from "../../domain/fleet/input.js";
import { planFleet } from "../../domain/fleet/index.js";
import { DEFAULT_DEPLOYMENT_ROOT, DEFAULT_KEEP_REVISIONS, serverRevision } from "../../domain/server-install/index.js";
import { ErrorNames, StepDeployError, ValidationError } from "../../domain/errors.js";
import type { DeploymentTargetGroup } from "../../domain/fleet/traffic.js";
import type { Deps } from "../../wiring.js";
import { expandServerGroupDeployment } from "../group-deployment.js";
import type { DeploymentContext, FleetState } from "./state.js";

export type StartServerDeps = Pick<Deps, "bundles" | "runCommand" | "loadBalancer" | "log"> & Partial<Pick<Deps, "config">>;

/**
 * Checks a server deployment before anything runs: the input, the revision (fetched pinned and inspected by
 * domain/bundles, its appspec validated as a server one), the fleet (SSM managed nodes by tag and id) and the
 * config against it (planFleet: NO_INSTANCES, OVER_MAX_INSTANCES, HEALTH_CONSTRAINTS_INVALID). Targeted instances
 * SSM cannot reach count as failed from the start, as CodeDeploy counts an instance whose agent does not answer.
 */
export async function startServerDeployment(deps: StartServerDeps, raw: unknown): Promise<{ deployment: DeploymentContext; fleet: FleetState }> {
  // A Server group plus an S3 archive (docs/groups.md) becomes the full input first; the full input passes as it is.
  const input = parseServerInput(deps.config ? expandServerGroupDeployment({ config: deps.config }, raw) : raw);
  const log = deps.log(input.deploymentId);
  const inspection: { appSpec: { text: string }; eTag?: string } = await deps.bundles.inspect({ ...input.revision });
  // Pinned to what was read: every instance downloads exactly this object (If-Match on the ETag).
  const eTag = input.revision.eTag ?? inspection.eTag;
  if (!eTag) throw new ValidationError("revision.eTag", "is required: the bundle store returned no ETag to pin the revision to");
  const revision = serverRevision(loadAppSpec(inspection.appSpec.text, { platform: "server", rejectPlaceholders: true }));
  const targetGroups = await resolveTargetGroups(deps, input.targetGroups);
  const { reachable, unreachable } = await discover(deps, input);
  const plan = planFleet(input.config, reachable.length + unreachable.length);
  log.info("server deployment planned", { instances: plan.instances, minHealthy: plan.minHealthy, batches: plan.batches.length, unreachable: unreachable.length });
  const deployment: DeploymentContext = {
    deploymentId: input.deploymentId,
    applicationName: input.application,
    deploymentGroupName: input.deploymentGroup,
    deploymentGroupId: input.deploymentGroupId,
    bundle: { bucket: input.revision.bucket, key: input.revision.key, etag: eTag, bundleType: input.revision.bundleType, ...(input.revision.version ? { version: input.revision.version } : {}) },
    revision,
    deploymentRoot: input.deploymentRoot ?? DEFAULT_DEPLOYMENT_ROOT[revision.os],
    keepRevisions: DEFAULT_KEEP_REVISIONS,
    pollSeconds: input.pollSeconds,
    targetGroups,
  };
  const fleet: FleetState = { config: plan.config, total: plan.instances, minHealthy: plan.minHealthy, instances: reachable, cursor: 0, succeeded: 0, failed: unreachable.length, batches: 0, unreachable };
  return { deployment, fleet };
}

/** Tagged nodes plus listed ids; a listed id SSM does not know, or a node whose agent is offline, is unreachable. */
async function discover(deps: StartServerDeps, input: ServerDeploymentInput): Promise<{ reachable: string[]; unreachable: FleetState["unreachable"] }> {
  const found = new Map((input.target.tags ? await deps.runCommand.findNodes({ tags: input.target.tags }) : []).map((n) => [n.id, n]));
  // CodeDeploy's tag filters: a node matching any of them is the group's.
  for (const f of input.target.tagFilters ?? []) {
    for (const n of await deps.runCommand.findNodes(f.Type === "KEY_ONLY" ? { tagKeys: [f.Key] } : { tags: { [f.Key]: [f.Value ?? ""] } })) found.set(n.id, n);
  }
  if (input.target.instanceIds) for (const n of await deps.runCommand.findNodes({ instanceIds: input.target.instanceIds })) found.set(n.id, n);
  const unreachable: FleetState["unreachable"] = [];
  for (const id of input.target.instanceIds ?? []) if (!found.has(id)) unreachable.push({ instanceId: id, reason: "not an SSM managed node (no agent, or not registered)" });
  const reachable: string[] = [];
  for (const n of [...found.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    if (n.online) reachable.push(n.id);
    else unreachable.push({ instanceId: n.id, reason: "the SSM agent does not answer (PingStatus not Online)" });
  }
  return { reachable, unreachable };
}

/**
 * The deployment group's target groups, by name or ARN (DescribeTargetGroups), before any instance is touched: an
 * unknown one is `Deploy.ResourceNotFound`; one whose targets are not EC2 instances (`ip`, `lambda`, `alb`) cannot
 * take the fleet's instances and is `Deploy.UnsupportedTrafficConfig` (CodeDeploy's ELASTIC_LOAD_BALANCING_INVALID).
 * Each group's deregistration delay and time to healthy time the traffic waits (domain/fleet/traffic trafficWait).
 */
async function resolveTargetGroups(deps: StartServerDeps, refs: string[]): Promise<DeploymentTargetGroup[]> {
  if (refs.length === 0) return [];
  const found = await deps.loadBalancer.describeTargetGroups(refs);
  const wrong = found.filter((t) => t.targetType !== "instance");
  if (wrong.length) {
    throw new StepDeployError(ErrorNames.UnsupportedTrafficConfig, `ELASTIC_LOAD_BALANCING_INVALID: target group ${wrong.map((t) => `${t.name} has target type ${t.targetType}`).join(", ")}; an EC2/on-premises deployment registers instances, so its target groups need target type instance`);
  }
  const out: DeploymentTargetGroup[] = [];
  for (const t of found) out.push({ arn: t.arn, name: t.name, drainSeconds: await deps.loadBalancer.deregistrationDelay(t.arn), healthySeconds: t.healthCheck.intervalSeconds * t.healthCheck.healthyThresholdCount });
  return out;
}
