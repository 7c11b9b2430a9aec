/**
 * The ECS standard deploy action reads `imagedefinitions.json` (or FileName) from its input
 * artifact: a list of `{"name": <container>, "imageUri": <image>}` (user guide file-reference), at
 * most 100 KB (codepipeline-spec §1.9). The action registers a new revision of the service's task
 * definition with those images and updates the service (a rolling update), then waits until the
 * service is stable.
 */
export const IMAGE_DEFINITIONS_MAX_BYTES = 100 * 1024;

export interface ImageDefinition {
  name: string;
  imageUri: string;
}

export function parseImageDefinitions(text: string, file = "imagedefinitions.json"): ImageDefinition[] {
  if (Buffer.byteLength(text) > IMAGE_DEFINITIONS_MAX_BYTES) throw new Error(`${file} is over ${IMAGE_DEFINITIONS_MAX_BYTES / 1024} KB`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${file} must be a non-empty JSON list of {"name", "imageUri"}`);
  return parsed.map((entry, i) => {
    const e = entry as { name?: unknown; imageUri?: unknown };
    if (typeof e.name !== "string" || !e.name || typeof e.imageUri !== "string" || !e.imageUri) throw new Error(`${file}[${i}] needs a string "name" (the container) and "imageUri"`);
    return { name: e.name, imageUri: e.imageUri };
  });
}

/** The container definitions with the new images; a name that matches no container is an error. */
export function withImages<C extends { name?: string; image?: string }>(containers: C[], images: ImageDefinition[]): C[] {
  for (const img of images) {
    if (!containers.some((c) => c.name === img.name)) throw new Error(`imagedefinitions names container '${img.name}', which the task definition does not have (${containers.map((c) => c.name).join(", ")})`);
  }
  return containers.map((c) => {
    const img = images.find((i) => i.name === c.name);
    return img ? { ...c, image: img.imageUri } : c;
  });
}

/**
 * DeploymentTimeout (minutes, configuration): "configurable up to the maximum default timeout for this
 * action", which is 1 hour (CodePipeline quotas; codepipeline-spec §1.9). Absent: 60. The action's
 * own deadline (timeoutInMinutes) still applies when it is earlier.
 */
export const ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES = 60;

export function ecsDeadlineMs(configuration: Record<string, string>, startedMs: number, actionDeadlineMs?: number): number {
  const raw = configuration["DeploymentTimeout"];
  const minutes = raw === undefined ? ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES : Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES) {
    throw new Error(`DeploymentTimeout '${raw}' must be a whole number of minutes from 1 to ${ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES}`);
  }
  const own = startedMs + minutes * 60_000;
  return actionDeadlineMs === undefined ? own : Math.min(own, actionDeadlineMs);
}

/** Seconds between two looks at a rollout (our choice: ECS replaces tasks in tens of seconds). */
export const ECS_POLL_SECONDS = 15;

export interface RolloutLook {
  id: string;
  status: string;
  rolloutState: string;
  rolloutStateReason: string;
  desiredCount: number;
  runningCount: number;
  /** The deployment's task definition ARN (named in messages as family:revision). */
  taskDefinition?: string;
}

export type RolloutVerdict =
  | { kind: "succeeded"; summary: string }
  | { kind: "failed"; reason: string }
  /** `rollback`: the circuit breaker's rollback being followed (remember it for the next look). */
  | { kind: "wait"; seconds: number; rollback?: FollowedRollback };

/** A circuit breaker rollback the action follows: the rollback deployment, and ECS's reason for the failure while it was still listed. */
export interface FollowedRollback {
  id: string;
  failure?: string;
}

/**
 * ECS's reason on the PRIMARY deployment a circuit breaker rollback started ("rolling back to deploymentId
 * <id>.", the id of the last COMPLETED deployment; DescribeServices output as users publish it, the AWS docs
 * do not quote it). With `deploymentCircuitBreaker.rollback`, "when a service deployment fails, the
 * service is rolled back to the last deployment that completed successfully" (ECS API reference,
 * DeploymentCircuitBreaker).
 */
export const ROLLBACK_REASON = /^ECS deployment circuit breaker: rolling back to deploymentId (\S+?)\.?$/;

/** `arn:...:task-definition/web:3` -> `web:3` (anything else as given). */
export function taskDefinitionName(arn: string | undefined): string {
  return arn?.split("task-definition/")[1] ?? arn ?? "its previous task definition";
}

/**
 * What one look at the service says about the deployment the action started: COMPLETED succeeds, FAILED
 * fails with ECS's reason; a deployment no longer PRIMARY (another UpdateService replaced it) or gone
 * fails; past the deadline an unfinished rollout fails; otherwise look again (never past the deadline).
 * When the circuit breaker rolls the service back (a PRIMARY whose reason says so, or the one already
 * followed: `rollback`), the action follows the rollback until it ends and then fails naming it, so
 * that its message says on which task definition the service is left.
 */
export function rolloutVerdict(deploymentId: string, deployments: RolloutLook[], nowMs: number, deadlineMs: number, followed?: FollowedRollback): RolloutVerdict {
  const d = deployments.find((x) => x.id === deploymentId);
  const rb = followed ? deployments.find((x) => x.id === followed.id) : deployments.find((x) => x.id !== deploymentId && x.status === "PRIMARY" && ROLLBACK_REASON.test(x.rolloutStateReason));
  if (followed || rb) {
    const failure = d?.rolloutState === "FAILED" && d.rolloutStateReason ? d.rolloutStateReason : followed?.failure;
    return rollbackVerdict(deploymentId, { id: followed?.id ?? (rb as RolloutLook).id, ...(failure && { failure }) }, rb, nowMs, deadlineMs);
  }
  if (!d) return { kind: "failed", reason: `ECS deployment ${deploymentId} is no longer listed on the service` };
  if (d.rolloutState === "COMPLETED") return { kind: "succeeded", summary: `ECS deployment ${d.id} completed: ${d.runningCount}/${d.desiredCount} tasks running` };
  if (d.rolloutState === "FAILED") return { kind: "failed", reason: `ECS deployment ${d.id} failed: ${d.rolloutStateReason}` };
  if (d.status !== "PRIMARY") {
    const primary = deployments.find((x) => x.status === "PRIMARY");
    return { kind: "failed", reason: `ECS deployment ${d.id} was replaced by ${primary?.id ?? "another deployment"} before it completed` };
  }
  if (nowMs >= deadlineMs) return { kind: "failed", reason: `ECS deployment ${d.id} did not complete within the DeploymentTimeout (rolloutState ${d.rolloutState || "unknown"}: ${d.rolloutStateReason}; ${d.runningCount}/${d.desiredCount} tasks running)` };
  return { kind: "wait", seconds: waitSeconds(nowMs, deadlineMs) };
}

function waitSeconds(nowMs: number, deadlineMs: number): number {
  return Math.max(1, Math.min(ECS_POLL_SECONDS, Math.ceil((deadlineMs - nowMs) / 1000)));
}

/** The action's deployment failed and the circuit breaker rolls the service back: wait for the rollback, then fail naming where the service is. */
function rollbackVerdict(deploymentId: string, followed: FollowedRollback, rb: RolloutLook | undefined, nowMs: number, deadlineMs: number): RolloutVerdict {
  const why = followed.failure ? ` (${followed.failure.replace(/\.$/, "")})` : "";
  const head = `ECS deployment ${deploymentId} failed${why} and the deployment circuit breaker rolled the service back`;
  if (!rb) return { kind: "failed", reason: `${head}: rollback deployment ${followed.id} is no longer listed on the service` };
  const target = taskDefinitionName(rb.taskDefinition);
  if (rb.rolloutState === "COMPLETED") return { kind: "failed", reason: `${head}: the service is back on ${target} (rollback deployment ${rb.id} COMPLETED, ${rb.runningCount}/${rb.desiredCount} tasks running)` };
  if (rb.rolloutState === "FAILED") return { kind: "failed", reason: `${head}, but the rollback to ${target} failed too (deployment ${rb.id}: ${rb.rolloutStateReason})` };
  if (rb.status !== "PRIMARY") return { kind: "failed", reason: `${head}: rollback deployment ${rb.id} to ${target} was replaced before it completed` };
  if (nowMs >= deadlineMs) return { kind: "failed", reason: `${head}: the rollback to ${target} (deployment ${rb.id}) was still ${rb.rolloutState} at the DeploymentTimeout` };
  return { kind: "wait", seconds: waitSeconds(nowMs, deadlineMs), rollback: followed };
}
