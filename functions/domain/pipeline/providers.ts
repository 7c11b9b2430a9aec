import type { Category, Owner } from "./types.js";

/**
 * The action providers stepdeploy runs, with CodePipeline's rules for each: owner, artifact counts
 * (reference-pipeline-structure "Action Type Constraints for Artifacts", codepipeline-spec §1.8),
 * required and known configuration keys (the action reference page of each provider), and the
 * output variables the action emits (actions-variables / each action reference page).
 */
export interface ProviderSpec {
  category: Category;
  owner: Owner;
  provider: string;
  inputs: { min: number; max: number };
  outputs: { min: number; max: number };
  required: string[];
  /** Every configuration key CodePipeline documents for it (required ones included). */
  known: string[];
  /** Variables the action emits into its namespace; `"*"` = whatever the job exports (CodeBuild, Lambda). */
  variables: string[] | "*";
  /** Said whenever a definition uses it. */
  note?: string;
}

const GIT_VARIABLES = ["AuthorDate", "BranchName", "CommitId", "CommitMessage", "ConnectionArn", "FullRepositoryName"];

export const PROVIDERS: readonly ProviderSpec[] = [
  {
    category: "Source", owner: "AWS", provider: "S3", inputs: { min: 0, max: 0 }, outputs: { min: 1, max: 1 },
    required: ["S3Bucket", "S3ObjectKey"], known: ["S3Bucket", "S3ObjectKey", "PollForSourceChanges", "AllowOverrideForS3ObjectKey"],
    variables: ["ETag", "VersionId"],
  },
  {
    category: "Source", owner: "AWS", provider: "ECR", inputs: { min: 0, max: 0 }, outputs: { min: 1, max: 1 },
    required: ["RepositoryName"], known: ["RepositoryName", "ImageTag"],
    variables: ["RegistryId", "RepositoryName", "ImageTag", "ImageDigest", "ImageURI"],
  },
  {
    category: "Source", owner: "AWS", provider: "CodeCommit", inputs: { min: 0, max: 0 }, outputs: { min: 1, max: 1 },
    required: ["RepositoryName", "BranchName"], known: ["RepositoryName", "BranchName", "PollForSourceChanges", "OutputArtifactFormat"],
    variables: ["AuthorDate", "BranchName", "CommitId", "CommitMessage", "CommitterDate", "RepositoryName"],
  },
  {
    category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", inputs: { min: 0, max: 0 }, outputs: { min: 1, max: 1 },
    required: ["ConnectionArn", "FullRepositoryId", "BranchName"], known: ["ConnectionArn", "FullRepositoryId", "BranchName", "OutputArtifactFormat", "DetectChanges"],
    variables: GIT_VARIABLES,
  },
  {
    category: "Source", owner: "ThirdParty", provider: "GitHub", inputs: { min: 0, max: 0 }, outputs: { min: 1, max: 1 },
    required: ["Owner", "Repo", "Branch", "OAuthToken"], known: ["Owner", "Repo", "Branch", "OAuthToken", "PollForSourceChanges"],
    variables: ["AuthorDate", "BranchName", "CommitId", "CommitMessage", "CommitterDate", "CommitUrl", "RepositoryName"],
    note: "GitHub version 1 (OAuth app) actions are deprecated by AWS; stepdeploy fetches the branch the same way as a CodeStarSourceConnection action. Prefer a connection (CodeStarSourceConnection)",
  },
  {
    category: "Build", owner: "AWS", provider: "CodeBuild", inputs: { min: 1, max: 5 }, outputs: { min: 0, max: 5 },
    required: ["ProjectName"], known: ["ProjectName", "PrimarySource", "EnvironmentVariables", "BatchEnabled", "CombineArtifacts"],
    variables: "*",
  },
  {
    category: "Test", owner: "AWS", provider: "CodeBuild", inputs: { min: 1, max: 5 }, outputs: { min: 0, max: 5 },
    required: ["ProjectName"], known: ["ProjectName", "PrimarySource", "EnvironmentVariables", "BatchEnabled", "CombineArtifacts"],
    variables: "*",
  },
  {
    category: "Approval", owner: "AWS", provider: "Manual", inputs: { min: 0, max: 0 }, outputs: { min: 0, max: 0 },
    required: [], known: ["CustomData", "ExternalEntityLink", "NotificationArn"],
    variables: ["ApprovedBy", "Summary"],
  },
  {
    category: "Deploy", owner: "AWS", provider: "CodeDeploy", inputs: { min: 1, max: 1 }, outputs: { min: 0, max: 0 },
    required: ["ApplicationName", "DeploymentGroupName"], known: ["ApplicationName", "DeploymentGroupName", "DeploymentInput"],
    variables: ["DeploymentId"],
  },
  {
    category: "Deploy", owner: "AWS", provider: "ECS", inputs: { min: 1, max: 1 }, outputs: { min: 0, max: 0 },
    required: ["ClusterName", "ServiceName"], known: ["ClusterName", "ServiceName", "FileName", "DeploymentTimeout"],
    variables: [],
  },
  {
    category: "Deploy", owner: "AWS", provider: "CloudFormation", inputs: { min: 0, max: 10 }, outputs: { min: 0, max: 1 },
    required: ["ActionMode", "StackName"],
    known: ["ActionMode", "StackName", "ChangeSetName", "TemplatePath", "TemplateConfiguration", "ParameterOverrides", "Capabilities", "RoleArn", "OutputFileName"],
    variables: "*",
  },
  {
    category: "Deploy", owner: "AWS", provider: "S3", inputs: { min: 1, max: 1 }, outputs: { min: 0, max: 0 },
    required: ["BucketName", "Extract"], known: ["BucketName", "Extract", "ObjectKey", "KMSEncryptionKeyARN", "CannedACL", "CacheControl"],
    variables: [],
  },
  {
    category: "Deploy", owner: "AWS", provider: "ElasticBeanstalk", inputs: { min: 1, max: 1 }, outputs: { min: 0, max: 0 },
    required: ["ApplicationName", "EnvironmentName"], known: ["ApplicationName", "EnvironmentName"],
    variables: [],
  },
  {
    category: "Invoke", owner: "AWS", provider: "Lambda", inputs: { min: 0, max: 5 }, outputs: { min: 0, max: 5 },
    required: ["FunctionName"], known: ["FunctionName", "UserParameters"],
    variables: "*",
  },
];

/**
 * Providers CodePipeline has that stepdeploy does not run (yet), so the error can tell "not
 * supported" from "no such provider" (codepipeline-spec §1.8).
 */
export const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  DeviceFarm: "Test",
  CodeDeployToECS: "Deploy",
  CloudFormationStackSet: "Deploy",
  CloudFormationStackInstances: "Deploy",
  OpsWorks: "Deploy",
  ServiceCatalog: "Deploy",
  AlexaSkillsKit: "Deploy",
  AppConfig: "Deploy",
  EC2: "Deploy",
  EKS: "Deploy",
  StepFunctions: "Invoke",
  Snyk: "Invoke",
  InspectorScan: "Invoke",
  ECRBuildAndPublish: "Build",
  Commands: "Compute",
  Jenkins: "Build",
};

export function findProvider(category: string, provider: string): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.category === category && p.provider === provider);
}

export function providersFor(category: string): string[] {
  return PROVIDERS.filter((p) => p.category === category).map((p) => p.provider);
}

/** CloudFormation's action modes (action-reference-CloudFormation). */
export const CLOUDFORMATION_MODES = ["CREATE_UPDATE", "DELETE_ONLY", "REPLACE_ON_FAILURE", "CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE"] as const;
/** Modes that create or update from a template, so need TemplatePath and a RoleArn for CloudFormation to assume. */
export const CLOUDFORMATION_TEMPLATE_MODES = ["CREATE_UPDATE", "REPLACE_ON_FAILURE", "CHANGE_SET_REPLACE"] as const;
export const CLOUDFORMATION_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"] as const;
