import { type ArtifactRef, eventArtifact } from "../../domain/pipeline/execution/artifacts.js";
import { codeBuildRequest } from "../../domain/pipeline/execution/codebuild.js";
import { gitFetchRequest } from "../../domain/pipeline/execution/git-fetch.js";
import { approvalMessage, deploymentInput, type JobIdentity, jobId, lambdaJobEvent } from "../../domain/pipeline/execution/jobs.js";
import { providerKind, timeoutSeconds } from "../../domain/pipeline/synth/provider-tasks.js";
import type { Action } from "../../domain/pipeline/types.js";
import type { PipelineDeps } from "./context.js";

/**
 * The request each provider's task takes, built from the action as declared, its configuration with
 * variables resolved, and its artifacts: the compiled state passes it on as it is.
 */
export interface ActionPlan {
  job: JobIdentity;
  configuration: Record<string, string>;
  inputs: ArtifactRef[];
  outputs: ArtifactRef[];
  /** Source revision pinned at the start (git and S3/ECR sources). */
  revision?: Record<string, string>;
}

export function actionRequest(deps: PipelineDeps, action: Action, plan: ActionPlan): Record<string, unknown> {
  const { job, configuration, inputs, outputs } = plan;
  const artifacts = { inputArtifacts: inputs.map(eventArtifact), outputArtifacts: outputs.map(eventArtifact) };
  switch (providerKind(action)) {
    case "codebuild":
    case "codebuild-batch": {
      if (action.actionTypeId.category !== "Source") return { ...codeBuildRequest(configuration, inputs, outputs), ...artifacts };
      const revision = plan.revision;
      if (!revision?.["CommitId"] || !outputs[0]) throw new Error(`source action ${action.name} has no pinned commit for this execution`);
      const git = { commitId: revision["CommitId"], branch: revision["BranchName"] ?? configuration["BranchName"] ?? configuration["Branch"] ?? "" };
      return { ...gitFetchRequest(deps.config.gitFetchProject, action, deps.config.region, git, outputs[0], revision["HostType"]), revision, ...artifacts };
    }
    case "approval": {
      const expires = new Date(deps.clock.nowMs() + timeoutSeconds(action) * 1000);
      return { message: approvalMessage(job, deps.config.region, configuration, expires), ...(configuration["NotificationArn"] !== undefined && { notificationArn: configuration["NotificationArn"] }), expiresAtMs: expires.getTime() };
    }
    case "deployment": {
      if (!inputs[0]) throw new Error(`deploy action ${action.name} has no input artifact`);
      return { ...deploymentInput(job, configuration, inputs[0]), ...artifacts };
    }
    case "invoke":
      return { functionName: configuration["FunctionName"], event: lambdaJobEvent(job, deps.config.account, configuration, inputs, outputs), ...artifacts };
    default:
      return { configuration, inputs, outputs, ...(plan.revision && { revision: plan.revision }), deadlineMs: deps.clock.nowMs() + timeoutSeconds(action) * 1000, jobId: jobId(job), ...artifacts };
  }
}
