/**
 * The pipeline model: what a CodePipeline definition (any of the three shapes) reads into, in
 * CodePipeline's own terms (PipelineDeclaration, StageDeclaration, ActionDeclaration of the
 * CodePipeline API, codepipeline-spec §1.1). The compiler and the runtime read only this.
 */

/** One problem or remark, at a JSON path in the user's own spelling (`pipeline.stages[1].actions[0].runOrder`). */
export interface PipelineIssue {
  path: string;
  message: string;
}

export const CATEGORIES = ["Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"] as const;
export type Category = (typeof CATEGORIES)[number];
export const OWNERS = ["AWS", "ThirdParty", "Custom"] as const;
export type Owner = (typeof OWNERS)[number];
export const EXECUTION_MODES = ["SUPERSEDED", "QUEUED", "PARALLEL"] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];
export const PIPELINE_TYPES = ["V1", "V2"] as const;
export type PipelineType = (typeof PIPELINE_TYPES)[number];
/** What a stage does when it fails. SKIP exists in the API but is refused at validation (docs/pipelines.md). */
export const FAILURE_RESULTS = ["FAIL", "RETRY", "ROLLBACK"] as const;
export type FailureResult = (typeof FAILURE_RESULTS)[number];
export const RETRY_MODES = ["FAILED_ACTIONS", "ALL_ACTIONS"] as const;
export type RetryMode = (typeof RETRY_MODES)[number];

export interface ActionTypeId {
  category: Category;
  owner: Owner;
  provider: string;
  version: string;
}

export interface OutputArtifact {
  name: string;
  files?: string[];
}

export interface EnvironmentVariable {
  name: string;
  value: string;
  type?: string;
}

export interface Action {
  name: string;
  /** JSON path of the action in the source file, for messages at run time too. */
  path: string;
  actionTypeId: ActionTypeId;
  /** Default 1 (codepipeline-spec §2). */
  runOrder: number;
  /** Values as strings, as CodePipeline stores them (CloudFormation turns `false` into "false"). */
  configuration: Record<string, string>;
  inputArtifacts: string[];
  outputArtifacts: OutputArtifact[];
  namespace?: string;
  region?: string;
  roleArn?: string;
  timeoutInMinutes?: number;
  commands?: string[];
  outputVariables?: string[];
  environmentVariables?: EnvironmentVariable[];
}

export interface StageFailure {
  result: FailureResult;
  /** Only with RETRY. */
  retryMode?: RetryMode;
}

export interface Stage {
  name: string;
  path: string;
  actions: Action[];
  /** Absent onFailure means FAIL: the stage fails and so does the execution. */
  onFailure: StageFailure;
  /** CloudFormation's DisableInboundStageTransitions; the API keeps transitions outside the declaration. */
  inboundTransition: { enabled: true } | { enabled: false; reason: string };
}

export interface ArtifactStore {
  type: "S3";
  location: string;
  encryptionKey?: { id: string; type: string };
}

export interface PipelineVariable {
  name: string;
  defaultValue?: string;
  description?: string;
}

export interface GitFilterCriteria {
  includes?: string[];
  excludes?: string[];
}

export interface GitPushFilter {
  tags?: GitFilterCriteria;
  branches?: GitFilterCriteria;
  filePaths?: GitFilterCriteria;
}

export interface GitPullRequestFilter {
  events?: string[];
  branches?: GitFilterCriteria;
  filePaths?: GitFilterCriteria;
}

export interface PipelineTrigger {
  providerType: "CodeStarSourceConnection";
  sourceActionName: string;
  push: GitPushFilter[];
  pullRequest: GitPullRequestFilter[];
}

export interface Pipeline {
  name: string;
  roleArn: string;
  /** As declared, or V1 when absent (codepipeline-spec §1.2). */
  pipelineType: PipelineType;
  executionMode: ExecutionMode;
  /** Exactly one of artifactStore / artifactStores is set. */
  artifactStore?: ArtifactStore;
  artifactStores?: Record<string, ArtifactStore>;
  stages: Stage[];
  variables: PipelineVariable[];
  triggers: PipelineTrigger[];
  /** The structure version of get-pipeline output; 1 when absent. */
  version: number;
}

/** Which of the three shapes the file was. */
export type DefinitionShape = "get-pipeline" | "create-pipeline" | "declaration" | "cloudformation";

/** A CloudFormation intrinsic left as it is: resolved by CloudFormation when the stack deploys. */
export interface UnresolvedReference {
  path: string;
  /** Short-form spelling, e.g. `!Ref SourceBucket`. */
  display: string;
  /** The intrinsic as JSON ({"Ref": "SourceBucket"}), so a packager can put it back. */
  intrinsic: unknown;
}

export interface PipelineReadResult {
  valid: boolean;
  shape?: DefinitionShape;
  /** Set whenever the structure could be read, even when invalid, so tools can show what was understood. */
  pipeline?: Pipeline;
  errors: PipelineIssue[];
  warnings: PipelineIssue[];
  unresolved: UnresolvedReference[];
}
