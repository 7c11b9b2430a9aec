import type { Action } from "../types.js";
import type { ArtifactRef } from "./artifacts.js";

/**
 * Git sources (CodeCommit, CodeStarSourceConnection, GitHub version 1) become a zip artifact through
 * a CodeBuild project the stack creates (`<service>-<stage>-git-fetch`): CodeBuild's own source
 * integration checks out the exact commit (pinned when the execution started, so every action sees
 * the same revision), through the connection for CodeStarSourceConnection (source auth
 * CODECONNECTIONS), with IAM for CodeCommit, and with the GitHub OAuth credentials imported into
 * CodeBuild for GitHub version 1. The project's buildspec zips the checkout (without `.git`, as
 * CodePipeline's CODE_ZIP; with it for CODEBUILD_CLONE_REF) into the output artifact. No Lambda
 * ever holds the repository, and a 1 GB repository is CodeBuild's problem, not a Lambda's.
 */
export type GitSourceType = "CODECOMMIT" | "GITHUB" | "GITHUB_ENTERPRISE" | "BITBUCKET" | "GITLAB";

export interface GitRevision {
  commitId: string;
  branch: string;
  message?: string;
  authorDate?: string;
}

/**
 * The git-fetch project's buildspec, sent with every fetch (StartBuild's buildspecOverride): with a
 * source type override CodeBuild would otherwise run the buildspec.yml of the repository itself. It
 * drops `.git` unless the action asks for a full clone (CODEBUILD_CLONE_REF) and zips the checkout.
 */
export const GIT_FETCH_BUILDSPEC = [
  "version: 0.2",
  "phases:",
  "  build:",
  "    commands:",
  '      - if [ "$STEPDEPLOY_KEEP_GIT" != "true" ]; then rm -rf .git; fi',
  "artifacts:",
  "  files:",
  "    - '**/*'",
  "",
].join("\n");

export interface GitFetchRequest {
  projectName: string;
  buildspec: string;
  sourceType: GitSourceType;
  sourceLocation: string;
  sourceVersion: string;
  sourceAuth?: { type: "CODECONNECTIONS" | "OAUTH"; resource?: string };
  artifacts: { type: "S3"; location: string; path: string; name: string; packaging: "ZIP"; namespaceType: "NONE"; overrideArtifactName: false };
  environmentVariables: { name: string; value: string; type: "PLAINTEXT" }[];
}

/** The clone URL and CodeBuild source type of a git source action. `hostType` is the connection's provider (GetConnection). */
export function gitLocation(action: Pick<Action, "actionTypeId" | "configuration">, region: string, hostType?: string): { sourceType: GitSourceType; url: string } {
  const c = action.configuration;
  switch (action.actionTypeId.provider) {
    case "CodeCommit":
      return { sourceType: "CODECOMMIT", url: `https://git-codecommit.${region}.amazonaws.com/v1/repos/${c["RepositoryName"]}` };
    case "GitHub":
      return { sourceType: "GITHUB", url: `https://github.com/${c["Owner"]}/${c["Repo"]}.git` };
    default: {
      const repo = c["FullRepositoryId"];
      if (hostType === "Bitbucket") return { sourceType: "BITBUCKET", url: `https://bitbucket.org/${repo}.git` };
      if (hostType === "GitLab") return { sourceType: "GITLAB", url: `https://gitlab.com/${repo}.git` };
      if (hostType === "GitHubEnterpriseServer") return { sourceType: "GITHUB_ENTERPRISE", url: `${repo}` };
      return { sourceType: "GITHUB", url: `https://github.com/${repo}.git` };
    }
  }
}

export function gitFetchRequest(projectName: string, action: Pick<Action, "actionTypeId" | "configuration">, region: string, revision: GitRevision, output: ArtifactRef, hostType?: string): GitFetchRequest {
  const { sourceType, url } = gitLocation(action, region, hostType);
  const slash = output.key.lastIndexOf("/");
  const provider = action.actionTypeId.provider;
  const sourceAuth = provider === "CodeStarSourceConnection" ? { type: "CODECONNECTIONS" as const, resource: action.configuration["ConnectionArn"] } : provider === "GitHub" ? { type: "OAUTH" as const } : undefined;
  return {
    projectName,
    buildspec: GIT_FETCH_BUILDSPEC,
    sourceType,
    sourceLocation: url,
    sourceVersion: revision.commitId,
    ...(sourceAuth && { sourceAuth }),
    artifacts: { type: "S3", location: output.bucket, path: output.key.slice(0, slash), name: output.key.slice(slash + 1), packaging: "ZIP", namespaceType: "NONE", overrideArtifactName: false },
    environmentVariables: [{ name: "STEPDEPLOY_KEEP_GIT", value: action.configuration["OutputArtifactFormat"] === "CODEBUILD_CLONE_REF" ? "true" : "false", type: "PLAINTEXT" }],
  };
}

/** The variables a git source emits into its namespace (action reference pages of each provider). */
export function gitSourceVariables(action: Pick<Action, "actionTypeId" | "configuration">, revision: GitRevision): Record<string, string> {
  const c = action.configuration;
  const common = { CommitId: revision.commitId, BranchName: revision.branch, ...(revision.message !== undefined && { CommitMessage: revision.message }), ...(revision.authorDate !== undefined && { AuthorDate: revision.authorDate }) };
  switch (action.actionTypeId.provider) {
    case "CodeCommit":
      return { ...common, RepositoryName: c["RepositoryName"] as string, ...(revision.authorDate !== undefined && { CommitterDate: revision.authorDate }) };
    case "GitHub":
      return { ...common, RepositoryName: c["Repo"] as string, CommitUrl: `https://github.com/${c["Owner"]}/${c["Repo"]}/commit/${revision.commitId}` };
    default:
      return { ...common, ConnectionArn: c["ConnectionArn"] as string, FullRepositoryName: c["FullRepositoryId"] as string };
  }
}
