import { PipelineError, PipelineErrorNames } from "../errors.js";
import { shortHash } from "../synth/names.js";
import type { ArtifactRef } from "./artifacts.js";

/**
 * What other providers receive, in CodePipeline's shapes:
 * - Invoke Lambda: the `CodePipeline.job` event (user guide actions-invoke-lambda-function), and how
 *   its answer is read;
 * - Manual approval: the notification message (approvals-json-format);
 * - CodeDeploy: the input of a stepdeploy deployment of the named application and group.
 */
export interface JobIdentity {
  pipeline: string;
  executionId: string;
  stage: string;
  action: string;
  attempt: number;
}

/** A stable UUID-shaped id for one action attempt (CodePipeline's job ids and approval tokens are UUIDs). */
export function jobId(job: JobIdentity): string {
  const h = [0, 1, 2, 3].map((i) => shortHash(`${i}/${job.pipeline}/${job.executionId}/${job.stage}/${job.action}/${job.attempt}`)).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function location(ref: ArtifactRef) {
  return { name: ref.name, revision: null, location: { type: "S3", s3Location: { bucketName: ref.bucket, objectKey: ref.key } } };
}

/**
 * The job event. `artifactCredentials` is left out: the function reads and writes the artifact store
 * with its own role (grant it the bucket), since stepdeploy hands out no temporary credentials.
 */
export function lambdaJobEvent(job: JobIdentity, accountId: string, configuration: Record<string, string>, inputs: ArtifactRef[], outputs: ArtifactRef[]): Record<string, unknown> {
  return {
    "CodePipeline.job": {
      id: jobId(job),
      accountId,
      data: {
        actionConfiguration: { configuration: { FunctionName: configuration["FunctionName"], ...(configuration["UserParameters"] !== undefined && { UserParameters: configuration["UserParameters"] }) } },
        inputArtifacts: inputs.map(location),
        outputArtifacts: outputs.map(location),
      },
    },
  };
}

export type InvokeOutcome = { status: "Succeeded"; variables: Record<string, string>; summary?: string } | { status: "Failed"; message: string };

/**
 * How the function reports: returning normally succeeds the action, throwing fails it (Step
 * Functions fails the task on a FunctionError). A returned object may say more:
 * `{"status": "Failed", "message": "..."}` fails it (CodePipeline's PutJobFailureResult), and
 * `{"outputVariables": {"K": "v"}, "summary": "..."}` sets the action's variables and summary
 * (PutJobSuccessResult). Calling PutJobSuccessResult itself does not work: there is no CodePipeline job.
 */
export function readInvokeOutcome(payload: unknown): InvokeOutcome {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return { status: "Succeeded", variables: {} };
  const p = payload as { status?: unknown; message?: unknown; outputVariables?: unknown; summary?: unknown };
  if (typeof p.status === "string" && p.status.toLowerCase() === "failed") return { status: "Failed", message: typeof p.message === "string" ? p.message : "the function reported failure" };
  const variables: Record<string, string> = {};
  if (p.outputVariables && typeof p.outputVariables === "object") {
    for (const [k, v] of Object.entries(p.outputVariables)) variables[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { status: "Succeeded", variables, ...(typeof p.summary === "string" && { summary: p.summary }) };
}

/** The approval message CodePipeline sends to the NotificationArn topic (approvals-json-format). */
export function approvalMessage(job: JobIdentity, region: string, configuration: Record<string, string>, expires: Date): Record<string, unknown> {
  const token = jobId(job);
  const console = `https://console.aws.amazon.com/codepipeline/home?region=${region}#/view/${job.pipeline}`;
  return {
    region,
    consoleLink: console,
    approval: {
      pipelineName: job.pipeline,
      stageName: job.stage,
      actionName: job.action,
      token,
      expires: `${expires.toISOString().slice(0, 16)}Z`,
      ...(configuration["ExternalEntityLink"] !== undefined && { externalEntityLink: configuration["ExternalEntityLink"] }),
      approvalReviewLink: `${console}/${job.stage}/${job.action}/approve/${token}`,
      ...(configuration["CustomData"] !== undefined && { customData: configuration["CustomData"] }),
    },
  };
}

/** A CodeDeploy-style deployment id (`d-` and 9 characters), stable for one action attempt. */
export function deploymentId(job: JobIdentity): string {
  const h = (shortHash(`d/${jobId(job)}`) + shortHash(`e/${jobId(job)}`)).toUpperCase();
  return `d-${h.slice(0, 9)}`;
}

/**
 * The stepdeploy deployment a CodeDeploy action starts. With `DeploymentInput` (a stepdeploy key,
 * variables already resolved) it is that deploy-lambda input with ApplicationName and
 * DeploymentGroupName as its application and group. Without it, the input of the deployment-groups
 * feature: the group named by ApplicationName and DeploymentGroupName, with the input artifact as an
 * S3 revision (`{application, deploymentGroup, revision}`); the deployment state machine accepts it
 * once the stack resolves groups, and refuses it naming `revision` before that.
 */
export function deploymentInput(job: JobIdentity, configuration: Record<string, string>, revision: ArtifactRef): { name: string; input: string } {
  const description = `pipeline ${job.pipeline} execution ${job.executionId}, ${job.stage}.${job.action}`;
  const group = { application: configuration["ApplicationName"], deploymentGroup: configuration["DeploymentGroupName"] };
  const given = configuration["DeploymentInput"];
  if (given !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(given);
    } catch (e) {
      throw new PipelineError(PipelineErrorNames.ActionFailed, `${job.stage}.${job.action}: configuration.DeploymentInput is not JSON after its variables were resolved: ${(e as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new PipelineError(PipelineErrorNames.ActionFailed, `${job.stage}.${job.action}: configuration.DeploymentInput must be a JSON object`);
    return { name: deploymentId(job), input: JSON.stringify({ description, ...parsed, ...group }) };
  }
  const input = { ...group, revision: { s3: { bucket: revision.bucket, key: revision.key, bundleType: "zip" } }, description };
  return { name: deploymentId(job), input: JSON.stringify(input) };
}
