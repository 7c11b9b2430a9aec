import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import type { ArtifactRef } from "../../domain/pipeline/execution/artifacts.js";
import { ecrSourceImage, ecrSourceVariables, imageDetail, s3DeployTargets, s3SourceObject, s3SourceVariables } from "../../domain/pipeline/execution/s3-ecr.js";
import { unzipFiles, zipFiles } from "../../lib/zip-files.js";
import type { ArtifactStorePort } from "../../ports/artifact-store.js";
import type { CloudFormationPort } from "../../ports/cloudformation.js";
import type { EcsServicePort } from "../../ports/ecs-service.js";
import type { ElasticBeanstalkPort } from "../../ports/elastic-beanstalk.js";
import type { DeclaredAction } from "./actions.js";
import { type BeanstalkAnswer, type BeanstalkState, pollBeanstalkDeploy, startBeanstalkDeploy } from "./beanstalk-deploy.js";
import { type CloudFormationAnswer, type CloudFormationState, pollCloudFormationDeploy, startCloudFormationDeploy } from "./cloudformation-deploy.js";
import type { PipelineDeps } from "./context.js";
import { type EcsDeployState, type PollAnswer, pollEcsDeploy, startEcsDeploy } from "./ecs-deploy.js";

/**
 * The providers a pipeline Lambda runs itself (`pipelineRunAction`): S3 and ECR sources, S3 deploy.
 * The answer is the action's output (`{variables, summary}`), which `(ok)` records. Providers that are
 * started and then polled answer `{done, nextPollSeconds, state}` (startPolled, then pollPolled from
 * `pipelinePollAction`): ECS, CloudFormation and Elastic Beanstalk.
 */
export interface RunRequest {
  configuration: Record<string, string>;
  inputs: ArtifactRef[];
  outputs: ArtifactRef[];
  revision?: Record<string, string>;
  /** Polled providers: when the action times out (timeoutInMinutes or the provider's default). */
  deadlineMs?: number;
  /** This action attempt's job id (stable across retries of the Lambda): the base of idempotency tokens. */
  jobId?: string;
}

export type RunDeps = Pick<PipelineDeps, "config" | "clock"> & { artifacts: ArtifactStorePort; ecs: EcsServicePort; cloudformation: CloudFormationPort; elasticBeanstalk: ElasticBeanstalkPort };

const isDeploy = (action: DeclaredAction, provider: string) => action.actionTypeId.category === "Deploy" && action.actionTypeId.provider === provider;

function notRunYet(action: DeclaredAction): PipelineError {
  const { category, provider } = action.actionTypeId;
  return new PipelineError(PipelineErrorNames.ActionFailed, `${action.stage}.${action.name}: the ${category} provider ${provider} is not run by stepdeploy yet (its definition validates; docs/pipelines.md lists what runs)`);
}

/** A polled provider's first call: start the work, answer whether it is already done. */
export async function startPolled(deps: RunDeps, action: DeclaredAction, request: RunRequest): Promise<PollAnswer | CloudFormationAnswer | BeanstalkAnswer> {
  if (isDeploy(action, "ECS")) return startEcsDeploy(deps, action, request);
  if (isDeploy(action, "CloudFormation")) return startCloudFormationDeploy(deps, action, request);
  if (isDeploy(action, "ElasticBeanstalk")) return startBeanstalkDeploy(deps, action, request);
  throw notRunYet(action);
}

/** A later look at a polled provider's work, with what the previous answer carried. */
export async function pollPolled(deps: RunDeps, action: DeclaredAction, state: unknown): Promise<PollAnswer | CloudFormationAnswer | BeanstalkAnswer> {
  if (isDeploy(action, "ECS")) return pollEcsDeploy(deps, action, state as EcsDeployState);
  if (isDeploy(action, "CloudFormation")) return pollCloudFormationDeploy(deps, action, state as CloudFormationState);
  if (isDeploy(action, "ElasticBeanstalk")) return pollBeanstalkDeploy(deps, action, state as BeanstalkState);
  throw notRunYet(action);
}

export interface RunOutput {
  variables: Record<string, string>;
  summary?: string;
}

function only<T>(list: T[], what: string, action: DeclaredAction): T {
  const first = list[0];
  if (first === undefined) throw new PipelineError(PipelineErrorNames.ActionFailed, `${action.stage}.${action.name} has no ${what}`);
  return first;
}

export async function runAction(deps: RunDeps, action: DeclaredAction, request: RunRequest): Promise<RunOutput> {
  const { category, provider } = action.actionTypeId;
  const label = `${action.stage}.${action.name}`;
  if (category === "Source" && provider === "S3") {
    const pinned = s3SourceObject(request.configuration, request.revision);
    const out = only(request.outputs, "output artifact", action);
    const copied = await deps.artifacts.copyObject(pinned, out);
    return { variables: s3SourceVariables(copied, pinned), summary: `s3://${pinned.bucket}/${pinned.key}${pinned.versionId ? ` version ${pinned.versionId}` : ""}` };
  }
  if (category === "Source" && provider === "ECR") {
    const image = ecrSourceImage(request.configuration, request.revision, deps.config.region, deps.config.account, label);
    const out = only(request.outputs, "output artifact", action);
    const detail = JSON.stringify(imageDetail(image, request.revision?.["ImagePushedAt"]), null, 2);
    await deps.artifacts.putObject(out, await zipFiles([{ name: "imageDetail.json", content: new TextEncoder().encode(detail) }]), "application/zip");
    return { variables: ecrSourceVariables(image), summary: image.imageUri };
  }
  if (category === "Deploy" && provider === "S3") {
    const input = only(request.inputs, "input artifact", action);
    if (request.configuration["Extract"] !== "true") {
      const { copy } = s3DeployTargets(request.configuration, input);
      if (copy) await deps.artifacts.copyObject(copy.from, copy.to);
      return { variables: {}, summary: `copied ${input.name} to s3://${copy?.to.bucket}/${copy?.to.key}` };
    }
    const files = await unzipFiles((await deps.artifacts.getObject(input)).body);
    const targets = s3DeployTargets(request.configuration, input, files.map((f) => f.name)).files ?? [];
    for (const [i, t] of targets.entries()) await deps.artifacts.putObject(t.to, (files[i] as { content: Uint8Array }).content);
    return { variables: {}, summary: `extracted ${files.length} file(s) of ${input.name} to s3://${request.configuration["BucketName"]}/${request.configuration["ObjectKey"] ?? ""}` };
  }
  throw notRunYet(action);
}
