import type { Action } from "../types.js";
import type { AslState, AslStates } from "./asl.js";
import { catchAll, invoke } from "./asl.js";
import type { PipelineResources } from "./resources.js";

/**
 * How each provider runs, as the states that do the work (the `<Stage>.<Action>` state and, for
 * providers that are polled, its loop). One call that does the job is a direct integration:
 * - CodeBuild (and git sources, fetched by a CodeBuild project): `codebuild:startBuild.sync`, or
 *   `codebuild:startBuildBatch.sync` with BatchEnabled;
 * - CodeDeploy: a stepdeploy deployment, `states:startExecution.sync:2`;
 * - Invoke Lambda: `lambda:invoke` of the user's function with a CodePipeline-shaped job event;
 * - Manual approval: `lambda:invoke.waitForTaskToken` (the approval Lambda stores the token and
 *   notifies; approve/reject answer it), timed out by timeoutInMinutes (7 days by default).
 * The rest are small Lambdas: S3/ECR sources and S3 deploy run once; ECS, CloudFormation and Elastic
 * Beanstalk start the update and are then polled until done, at an interval the poll returns.
 */
export type ProviderKind = "codebuild" | "codebuild-batch" | "deployment" | "invoke" | "approval" | "once" | "poll";

/**
 * Default action timeouts in seconds (CodePipeline quotas, codepipeline-spec §1.9): CodeBuild 8 h,
 * CodeDeploy 5 days, CloudFormation 3 days, S3 deploy 90 min, ECS 1 h, approval 7 days, others 1 h.
 * `timeoutInMinutes` overrides. Polled providers carry the deadline in their request instead.
 */
export const DEFAULT_TIMEOUT_SECONDS: Record<string, number> = {
  CodeBuild: 8 * 3600,
  CodeDeploy: 5 * 86_400,
  CloudFormation: 3 * 86_400,
  S3: 90 * 60,
  ECS: 3600,
  Manual: 7 * 86_400,
};

export function timeoutSeconds(action: Action): number {
  if (action.timeoutInMinutes !== undefined) return action.timeoutInMinutes * 60;
  return DEFAULT_TIMEOUT_SECONDS[action.actionTypeId.provider] ?? 3600;
}

export function providerKind(action: Action): ProviderKind {
  const { category, provider } = action.actionTypeId;
  if (category === "Approval") return "approval";
  if (provider === "CodeBuild") return action.configuration["BatchEnabled"] === "true" ? "codebuild-batch" : "codebuild";
  if (category === "Source") return provider === "S3" || provider === "ECR" ? "once" : "codebuild";
  if (provider === "CodeDeploy") return "deployment";
  if (category === "Invoke") return "invoke";
  if (provider === "S3") return "once";
  return "poll";
}

export interface ProviderStateNames {
  task: string;
  done: string;
  wait: string;
  poll: string;
  ok: string;
  error: string;
}

/** The provider's states; the first is named `names.task`. Success goes to `names.ok`, any error to `names.error`. */
export function providerStates(action: Action, staticAction: Record<string, unknown>, names: ProviderStateNames, resources: PipelineResources): AslStates {
  const kind = providerKind(action);
  const onError = { Catch: catchAll(names.error) };
  const credentials = action.roleArn && !action.roleArn.startsWith("!") ? { Credentials: { RoleArn: action.roleArn } } : {};
  const comment = `${action.actionTypeId.category} ${action.actionTypeId.provider}: ${action.name}`;
  const isGit = action.actionTypeId.category === "Source";
  const sources = isGit
    ? { "SourceVersion.$": "$.action.request.sourceVersion", "BuildspecOverride.$": "$.action.request.buildspec", ...(action.actionTypeId.provider !== "CodeCommit" && { "SourceAuthOverride.$": "$.action.request.sourceAuth" }) }
    : { "SecondarySourcesOverride.$": "$.action.request.secondarySources", "SecondaryArtifactsOverride.$": "$.action.request.secondaryArtifacts" };
  const codebuild = (resource: string, result: string): AslState => ({
    Type: "Task",
    Comment: isGit ? `${comment} (the stack's git-fetch CodeBuild project checks out the pinned commit and zips it)` : comment,
    Resource: resource,
    Parameters: {
      "ProjectName.$": "$.action.request.projectName",
      "SourceTypeOverride.$": "$.action.request.sourceType",
      "SourceLocationOverride.$": "$.action.request.sourceLocation",
      ...sources,
      "ArtifactsOverride.$": "$.action.request.artifacts",
      "EnvironmentVariablesOverride.$": "$.action.request.environmentVariables",
    },
    ...credentials,
    TimeoutSeconds: timeoutSeconds(action),
    ResultSelector: { [`${result}.$`]: `$.${result.charAt(0).toUpperCase()}${result.slice(1)}` },
    ResultPath: "$.result",
    Next: names.ok,
    ...onError,
  });
  const payload = { "run.$": "$.run", action: staticAction, "request.$": "$.action.request" };
  switch (kind) {
    case "codebuild":
      return { [names.task]: codebuild("arn:aws:states:::codebuild:startBuild.sync", "build") };
    case "codebuild-batch":
      return { [names.task]: codebuild("arn:aws:states:::codebuild:startBuildBatch.sync", "buildBatch") };
    case "deployment":
      return {
        [names.task]: {
          Type: "Task",
          Comment: `${comment} (a stepdeploy deployment of ${action.configuration["ApplicationName"]}/${action.configuration["DeploymentGroupName"]})`,
          Resource: "arn:aws:states:::states:startExecution.sync:2",
          Parameters: { StateMachineArn: resources.deployStateMachine, "Name.$": "$.action.request.name", "Input.$": "$.action.request.input" },
          ...credentials,
          TimeoutSeconds: timeoutSeconds(action),
          ResultSelector: { "executionArn.$": "$.ExecutionArn", "output.$": "$.Output" },
          ResultPath: "$.result",
          Next: names.ok,
          ...onError,
        },
      };
    case "invoke":
      return {
        [names.task]: {
          Type: "Task",
          Comment: `${comment} (the function gets a CodePipeline job event; it fails the action by throwing or returning {"status":"Failed"})`,
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { "FunctionName.$": "$.action.request.functionName", "Payload.$": "$.action.request.event" },
          ...credentials,
          ...(action.timeoutInMinutes !== undefined && { TimeoutSeconds: action.timeoutInMinutes * 60 }),
          ResultSelector: { "payload.$": "$.Payload" },
          ResultPath: "$.result",
          Next: names.ok,
          ...onError,
        },
      };
    case "approval":
      return {
        [names.task]: {
          ...invoke(resources.functions.pipelineApproval, { ...payload, "taskToken.$": "$$.Task.Token" }, { Comment: `${comment}: waits for approve or reject (stepdeploy pipeline approve|reject)`, TimeoutSeconds: timeoutSeconds(action), ResultPath: "$.result", Next: names.ok, ...onError }, true),
        },
      };
    case "once":
      return {
        [names.task]: invoke(resources.functions.pipelineRunAction, payload, { Comment: comment, ResultSelector: { "output.$": "$.Payload" }, ResultPath: "$.result", Next: names.ok, ...onError }),
      };
    case "poll": {
      const progress = { ResultSelector: { "done.$": "$.Payload.done", "wait.$": "$.Payload.nextPollSeconds", "state.$": "$.Payload.state" }, ResultPath: "$.result", Next: names.done, ...onError };
      return {
        [names.task]: invoke(resources.functions.pipelineRunAction, payload, { Comment: `${comment} (started here, then polled until done)`, ...progress }),
        [names.done]: { Type: "Choice", Choices: [{ Variable: "$.result.done", BooleanEquals: true, Next: names.ok }], Default: names.wait },
        [names.wait]: { Type: "Wait", SecondsPath: "$.result.wait", Next: names.poll },
        [names.poll]: invoke(resources.functions.pipelinePollAction, { ...payload, "state.$": "$.result.state" }, progress),
      };
    }
  }
}
