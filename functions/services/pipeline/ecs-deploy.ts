import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import { type FollowedRollback, ecsDeadlineMs, parseImageDefinitions, rolloutVerdict, withImages } from "../../domain/pipeline/execution/ecs.js";
import { unzipFiles } from "../../lib/zip-files.js";
import type { EcsServicePort } from "../../ports/ecs-service.js";
import type { ArtifactStorePort } from "../../ports/artifact-store.js";
import type { DeclaredAction } from "./actions.js";
import type { RunRequest } from "./run-action.js";

/**
 * The ECS deploy action (CodePipeline's "Amazon ECS" standard deployment): read FileName
 * (imagedefinitions.json) from the input artifact, register a revision of the service's current task
 * definition with those images, UpdateService to it (a rolling update by the ECS controller), then
 * look at the service until that deployment's rolloutState is COMPLETED or FAILED, or the
 * DeploymentTimeout passes.
 */
export interface EcsDeployDeps {
  artifacts: ArtifactStorePort;
  ecs: EcsServicePort;
  clock: { nowMs(): number };
}

/** What the poll loop carries between looks; `variables`/`summary` are the action's output once done. */
export interface EcsDeployState {
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinition: string;
  deadlineMs: number;
  /** The circuit breaker's rollback deployment, once seen: followed until it ends, then the action fails naming it. */
  rollback?: FollowedRollback;
  variables: Record<string, string>;
  summary: string;
}

export interface PollAnswer {
  done: boolean;
  nextPollSeconds: number;
  state: EcsDeployState;
}

const fail = (action: DeclaredAction, message: string) => new PipelineError(PipelineErrorNames.ActionFailed, `${action.stage}.${action.name}: ${message}`);

async function imageDefinitions(deps: EcsDeployDeps, action: DeclaredAction, request: RunRequest) {
  const input = request.inputs[0];
  if (!input) throw fail(action, "the ECS deploy action needs one input artifact");
  const fileName = request.configuration["FileName"] || "imagedefinitions.json";
  const files = await unzipFiles((await deps.artifacts.getObject(input)).body);
  const file = files.find((f) => f.name === fileName);
  if (!file) throw fail(action, `input artifact ${input.name} has no ${fileName} (it has: ${files.map((f) => f.name).join(", ") || "no files"})`);
  try {
    return parseImageDefinitions(new TextDecoder().decode(file.content), fileName);
  } catch (e) {
    throw fail(action, (e as Error).message);
  }
}

export async function startEcsDeploy(deps: EcsDeployDeps, action: DeclaredAction, request: RunRequest & { deadlineMs?: number }): Promise<PollAnswer> {
  const cluster = request.configuration["ClusterName"] ?? "";
  const serviceName = request.configuration["ServiceName"] ?? "";
  let deadlineMs: number;
  try {
    deadlineMs = ecsDeadlineMs(request.configuration, deps.clock.nowMs(), request.deadlineMs);
  } catch (e) {
    throw fail(action, (e as Error).message);
  }
  const images = await imageDefinitions(deps, action, request);
  const service = await deps.ecs.describeService(cluster, serviceName);
  if (service.deploymentController !== "ECS") throw fail(action, `service ${cluster}/${serviceName} uses the ${service.deploymentController} deployment controller; the ECS deploy action needs the ECS (rolling update) controller (CODE_DEPLOY services deploy through CodeDeployToECS)`);
  if (!service.taskDefinition) throw fail(action, `service ${cluster}/${serviceName} has no task definition to update`);
  const current = await deps.ecs.describeTaskDefinition(service.taskDefinition);
  let containerDefinitions: unknown[];
  try {
    containerDefinitions = withImages((current.body["containerDefinitions"] ?? []) as { name?: string; image?: string }[], images);
  } catch (e) {
    throw fail(action, `${(e as Error).message} in task definition ${current.family}:${current.revision}`);
  }
  const registered = await deps.ecs.registerTaskDefinition({ ...current.body, containerDefinitions });
  const updated = await deps.ecs.updateServiceTaskDefinition(cluster, serviceName, registered.arn);
  const primary = updated.deployments?.find((d) => d.status === "PRIMARY" && d.taskDefinition === registered.arn);
  if (!primary) throw fail(action, `UpdateService of ${cluster}/${serviceName} to ${registered.family}:${registered.revision} started no deployment`);
  const summary = `${cluster}/${serviceName} to ${registered.family}:${registered.revision} (${images.map((i) => `${i.name}=${i.imageUri}`).join(", ")})`;
  const state: EcsDeployState = { cluster, service: serviceName, deploymentId: primary.id, taskDefinition: registered.arn, deadlineMs, variables: {}, summary };
  return answer(action, state, [primary], deps.clock.nowMs());
}

export async function pollEcsDeploy(deps: EcsDeployDeps, action: DeclaredAction, state: EcsDeployState): Promise<PollAnswer> {
  const service = await deps.ecs.describeService(state.cluster, state.service);
  return answer(action, state, service.deployments ?? [], deps.clock.nowMs());
}

function answer(action: DeclaredAction, state: EcsDeployState, deployments: Parameters<typeof rolloutVerdict>[1], nowMs: number): PollAnswer {
  const verdict = rolloutVerdict(state.deploymentId, deployments, nowMs, state.deadlineMs, state.rollback);
  if (verdict.kind === "failed") throw fail(action, `${verdict.reason} (${state.summary})`);
  if (verdict.kind === "succeeded") return { done: true, nextPollSeconds: 0, state: { ...state, summary: `${state.summary}: ${verdict.summary}` } };
  return { done: false, nextPollSeconds: verdict.seconds, state: verdict.rollback ? { ...state, rollback: verdict.rollback } : state };
}
