// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import type { Action, Pipeline } from "../types.js";
import type { Cfn, StackNames } from "./stack.js";
import { literal } from "./triggers.js";

/**
 * The stack's git-fetch CodeBuild project (functions/domain/pipeline/execution/git-fetch.ts): created
 * only when a pipeline of `pipelines/` has a git source (CodeCommit, CodeStarSourceConnection, GitHub
 * version 1). It has no source and no buildspec of its own: every fetch overrides the source (type,
 * location, the pinned commit, the connection) and sends the buildspec, and its artifact goes where
 * the fetch says. Its role may only write the artifacts of those pipelines, pull those CodeCommit
 * repositories, use those connections and write its own logs.
 *
 * Connections: CodeBuild's service role needs GetConnectionToken and GetConnection (with UseConnection)
 * on the connection, with the service prefix of the connection's own ARN (codestar-connections or
 * codeconnections; AWS CodeConnections user guide, "Permissions and examples"). GitHub version 1 uses
 * the account's GitHub credentials imported into CodeBuild (ImportSourceCredentials), not IAM.
 * A repository or connection written as an intrinsic cannot be named here: it gets no grant (the fetch
 * fails with CodeBuild's access error until the role is extended), said in docs/pipelines.md.
 */
export const GIT_FETCH_PROJECT_ID = "GitFetchProject";
export const GIT_FETCH_ROLE_ID = "GitFetchProjectRole";
/** CodeBuild's curated Amazon Linux image with git and zip (CodeBuild user guide, "Docker images provided by CodeBuild"). */
export const GIT_FETCH_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

const sub = (s: string) => ({ "Fn::Sub": s });
const unique = (xs: string[]) => [...new Set(xs)].sort();

export const isGitSource = (a: Action): boolean => a.actionTypeId.category === "Source" && !["S3", "ECR"].includes(a.actionTypeId.provider);

export function gitFetchProjectName(names: StackNames): string {
  return `${names.service}-${names.stage}-git-fetch`;
}

/** CodePipeline's artifact layout: `<bucket>/<pipeline name cut to 20>/<artifact>/<key>`, in each store of the pipeline. */
function artifactObjects(p: Pipeline): string[] {
  const stores = [p.artifactStore, ...Object.values(p.artifactStores ?? {})].map((s) => s?.location).filter(literal);
  return stores.map((b) => `arn:\${AWS::Partition}:s3:::${b}/${p.name.slice(0, 20)}/*`);
}

function statements(pipelines: Pipeline[], project: string): Cfn[] {
  const withGit = pipelines.filter((p) => p.stages.some((s) => s.actions.some(isGitSource)));
  const sources = withGit.flatMap((p) => p.stages.flatMap((s) => s.actions.filter(isGitSource)));
  const repos = unique(sources.filter((a) => a.actionTypeId.provider === "CodeCommit").map((a) => a.configuration["RepositoryName"]).filter(literal));
  const connections = unique(sources.filter((a) => a.actionTypeId.provider === "CodeStarSourceConnection").map((a) => a.configuration["ConnectionArn"]).filter(literal));
  const logGroup = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/codebuild/${project}`;
  const out: Cfn[] = [
    { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: [sub(logGroup), sub(`${logGroup}:*`)] },
  ];
  const objects = unique(withGit.flatMap(artifactObjects));
  if (objects.length) out.push({ Sid: "WriteSourceArtifacts", Effect: "Allow", Action: ["s3:PutObject"], Resource: objects.map(sub) });
  if (repos.length) out.push({ Sid: "PullRepositories", Effect: "Allow", Action: ["codecommit:GitPull"], Resource: repos.map((r) => sub(`arn:\${AWS::Partition}:codecommit:\${AWS::Region}:\${AWS::AccountId}:${r}`)) });
  for (const prefix of ["codestar-connections", "codeconnections"]) {
    const arns = connections.filter((c) => c.split(":")[2] === prefix);
    if (arns.length) out.push({ Sid: prefix === "codeconnections" ? "UseConnections" : "UseCodeStarConnections", Effect: "Allow", Action: ["GetConnectionToken", "GetConnection", "UseConnection"].map((a) => `${prefix}:${a}`), Resource: arns });
  }
  return out;
}

/** The project and its role, or nothing when no pipeline has a git source. */
export function gitFetchProject(pipelines: Pipeline[], names: StackNames): { project: Cfn; role: Cfn } | undefined {
  if (!pipelines.some((p) => p.stages.some((s) => s.actions.some(isGitSource)))) return undefined;
  const name = gitFetchProjectName(names);
  const role = {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } } }] },
      ManagedPolicyArns: [{ Ref: "NeverChangeStepDeploy" }],
      Policies: [{ PolicyName: "git-fetch", PolicyDocument: { Version: "2012-10-17", Statement: statements(pipelines, name) } }],
    },
  };
  const project = {
    Type: "AWS::CodeBuild::Project",
    Properties: {
      Name: name,
      Description: "stepdeploy: checks out a pipeline's pinned commit and zips it as the source artifact (every fetch sends its source and buildspec)",
      ServiceRole: { "Fn::GetAtt": [GIT_FETCH_ROLE_ID, "Arn"] },
      Source: { Type: "NO_SOURCE", BuildSpec: "version: 0.2\nphases:\n  build:\n    commands:\n      - echo 'stepdeploy git-fetch: started without a fetch request' && exit 1\n" },
      Artifacts: { Type: "NO_ARTIFACTS" },
      Environment: { Type: "LINUX_CONTAINER", ComputeType: "BUILD_GENERAL1_SMALL", Image: GIT_FETCH_IMAGE },
      TimeoutInMinutes: 60,
      LogsConfig: { CloudWatchLogs: { Status: "ENABLED" } },
    },
  };
  return { project, role };
}
