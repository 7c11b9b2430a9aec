/**
 * CodePipeline's limits and name rules, with where each comes from (codepipeline-spec §1.1, §1.3,
 * §1.4, §1.9; the API shapes of botocore's codepipeline service-2.json, and the user guide's
 * limits page).
 */
export const LIMITS = {
  /** A pipeline has at least 2 stages (reference-pipeline-structure); at most 50 (limits page; older docs said 10). */
  stages: { min: 2, max: 50 },
  /** Actions in a stage: 1-50 (limits page). */
  actionsPerStage: { min: 1, max: 50 },
  /** Actions in a pipeline: 500 (limits page). */
  actionsPerPipeline: 500,
  /** ActionRunOrder: 1-999, default 1. */
  runOrder: { min: 1, max: 999, default: 1 },
  /** ActionConfigurationKey 1-50, ActionConfigurationValue 1-1000. */
  configurationKey: { min: 1, max: 50 },
  configurationValue: { min: 1, max: 1000 },
  /** Pipeline variables: at most 50 declarations. */
  variables: 50,
  variableName: { min: 1, max: 128 },
  variableDefault: { min: 1, max: 1000 },
  variableDescription: 200,
  triggers: 50,
  /** GitPushFilter / GitPullRequestFilter lists: 1-3; glob lists 1-8. */
  gitFilters: { min: 1, max: 3 },
  gitGlobs: { min: 1, max: 8 },
  /** ActionTimeoutInMinutes: 5-86400 (manual approval's 7-day default is 10080). */
  timeoutInMinutes: { min: 5, max: 86_400, approvalDefault: 10_080 },
  /** AWSRegionName 4-30. */
  region: { min: 4, max: 30 },
  /** RoleArn max 1024. */
  roleArn: 1024,
  /** Commands: 1-50; OutputVariables: 1-15; OutputArtifact files: 1-10; EnvironmentVariables: 1-10. */
  commands: 50,
  outputVariables: 15,
  artifactFiles: 10,
  environmentVariables: 10,
} as const;

/** PipelineName, StageName, ActionName: 1-100, `[A-Za-z0-9.@\-_]+`. */
export const NAME = { pattern: /^[A-Za-z0-9.@\-_]+$/, max: 100, describe: "1-100 characters from A-Z a-z 0-9 . @ - _" } as const;
/** ArtifactName: 1-100, `[a-zA-Z0-9_\-]+`. */
export const ARTIFACT_NAME = { pattern: /^[a-zA-Z0-9_-]+$/, max: 100, describe: "1-100 characters from A-Z a-z 0-9 _ -" } as const;
/** ActionNamespace: 1-100, `[A-Za-z0-9@\-_]+`. */
export const NAMESPACE = { pattern: /^[A-Za-z0-9@\-_]+$/, max: 100, describe: "1-100 characters from A-Z a-z 0-9 @ - _" } as const;
/** PipelineVariableName: 1-128, `[A-Za-z0-9@\-_]+`. */
export const VARIABLE_NAME = { pattern: /^[A-Za-z0-9@\-_]+$/, max: 128, describe: "1-128 characters from A-Z a-z 0-9 @ - _" } as const;
/** ActionProvider 1-35 `[0-9A-Za-z_-]+`; Version 1-9 `[0-9A-Za-z_-]+`. */
export const PROVIDER = { pattern: /^[0-9A-Za-z_-]+$/, max: 35 } as const;
export const ACTION_VERSION = { pattern: /^[0-9A-Za-z_-]+$/, max: 9 } as const;
/** RoleArn: `arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*`. */
export const ROLE_ARN = /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.*$/;
/** S3 bucket names: 3-63 of lower-case letters, digits, dots and hyphens (S3's naming rules). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** DisableStageTransition reason: 1-300 of `[a-zA-Z0-9!@ \(\)\.\*\?\-]+`. */
export const TRANSITION_REASON = { pattern: /^[a-zA-Z0-9!@ ().*?-]+$/, max: 300 } as const;
/** GitPullRequestEventType. */
export const PULL_REQUEST_EVENTS = ["OPEN", "UPDATED", "CLOSED"] as const;
