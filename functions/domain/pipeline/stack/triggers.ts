import type { GitWatch } from "../execution/git-webhook.js";
import type { Pipeline } from "../types.js";

/**
 * What starts a pipeline: each S3, ECR and CodeCommit source action is watched through EventBridge,
 * as CodePipeline does when PollForSourceChanges is false (user guide: "Amazon S3 source actions and
 * EventBridge", "Amazon ECR source actions and EventBridge", "CodeCommit source actions and
 * EventBridge"). The trigger Lambda matches an event to these and starts the pipeline's state machine
 * with the event's revision pinned for that action (the others take their latest).
 */
export type PipelineTrigger =
  | { pipeline: string; stateMachine: string; action: string; s3: { bucket: string; key: string } }
  | { pipeline: string; stateMachine: string; action: string; ecr: { repository: string; tag: string } }
  | { pipeline: string; stateMachine: string; action: string; codecommit: { repository: string; branch: string } }
  | { pipeline: string; stateMachine: string; action: string; git: GitWatch };

/** Values left as CloudFormation intrinsics (`!Ref SourceBucket`) cannot be matched at package time. */
export const literal = (v: string | undefined): v is string => typeof v === "string" && v !== "" && !v.startsWith("!") && !v.startsWith("{");

export function pipelineTriggers(pipeline: Pipeline, stateMachine: string): PipelineTrigger[] {
  const out: PipelineTrigger[] = [];
  for (const a of pipeline.stages[0]?.actions ?? []) {
    const c = a.configuration;
    const base = { pipeline: pipeline.name, stateMachine, action: a.name };
    if (a.actionTypeId.provider === "S3" && literal(c["S3Bucket"]) && literal(c["S3ObjectKey"])) out.push({ ...base, s3: { bucket: c["S3Bucket"], key: c["S3ObjectKey"] } });
    if (a.actionTypeId.provider === "ECR" && literal(c["RepositoryName"])) out.push({ ...base, ecr: { repository: c["RepositoryName"], tag: c["ImageTag"] ?? "latest" } });
    if (a.actionTypeId.provider === "CodeCommit" && literal(c["RepositoryName"]) && literal(c["BranchName"])) out.push({ ...base, codecommit: { repository: c["RepositoryName"], branch: c["BranchName"] } });
    const git = gitWatch(pipeline, a.name, a.actionTypeId.provider, c);
    if (git) out.push({ ...base, git });
  }
  return out;
}

/**
 * A connection (or GitHub version 1) source is started by the webhook (functions/domain/pipeline/execution/
 * git-webhook.ts): by the pipeline's V2 triggers naming it, else by a push to its branch unless
 * `DetectChanges` is "false" (a GitHub version 1 source always watches its branch: its `PollForSourceChanges`
 * was about polling, which the webhook replaces).
 */
function gitWatch(pipeline: Pipeline, action: string, provider: string, c: Record<string, string>): GitWatch | undefined {
  const connection = provider === "CodeStarSourceConnection";
  if (!connection && provider !== "GitHub") return undefined;
  const repository = connection ? c["FullRepositoryId"] : c["Owner"] && c["Repo"] ? `${c["Owner"]}/${c["Repo"]}` : undefined;
  const branch = connection ? c["BranchName"] : c["Branch"];
  if (!literal(repository) || !literal(branch)) return undefined;
  const triggers = pipeline.triggers.filter((t) => t.sourceActionName === action);
  if (!triggers.length && connection && c["DetectChanges"] === "false") return undefined;
  return { repository, branch, push: triggers.flatMap((t) => t.push), pullRequest: triggers.flatMap((t) => t.pullRequest), filtered: triggers.length > 0 };
}

const unique = (xs: string[]): string[] => [...new Set(xs)].sort();

/** Not a valid bucket or repository name: a filter that matches nothing (config/pipelines.cjs uses the same). */
export const NO_PIPELINE_SOURCE = "-no-pipeline-source-";

export type TriggerPatterns = Record<"s3" | "ecr" | "codecommit", { source: string[]; "detail-type": string[]; detail: Record<string, unknown> }>;

/**
 * The EventBridge patterns of the trigger Lambda's three rules, exactly as the stack deploys them
 * (config/pipelines.cjs puts their `detail` into serverless.yml) and as `pipeline simulate` routes
 * events: one rule per kind, each value once (the Lambda matches the exact bucket/key, repository/tag,
 * repository/branch pairs). A kind nobody watches gets a filter that matches nothing, since the rule
 * exists in every stack. Event shapes: S3 "Object Created" (S3 user guide, ev-events), ECR "ECR Image
 * Action" (ECR user guide, ecr-eventbridge: PUSH with result SUCCESS, the pushed tag in `image-tag`),
 * CodeCommit "CodeCommit Repository State Change" (CodeCommit user guide, monitoring-events:
 * referenceCreated/referenceUpdated carry `commitId`; referenceDeleted only `oldCommitId`).
 */
export function triggerPatterns(triggers: PipelineTrigger[]): TriggerPatterns {
  const s3 = triggers.flatMap((t) => ("s3" in t ? [t.s3] : []));
  const ecr = triggers.flatMap((t) => ("ecr" in t ? [t.ecr] : []));
  const cc = triggers.flatMap((t) => ("codecommit" in t ? [t.codecommit] : []));
  const none = [NO_PIPELINE_SOURCE];
  return {
    s3: { source: ["aws.s3"], "detail-type": ["Object Created"], detail: s3.length ? { bucket: { name: unique(s3.map((x) => x.bucket)) }, object: { key: unique(s3.map((x) => x.key)) } } : { bucket: { name: none } } },
    ecr: { source: ["aws.ecr"], "detail-type": ["ECR Image Action"], detail: { "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": ecr.length ? unique(ecr.map((x) => x.repository)) : none, ...(ecr.length > 0 && { "image-tag": unique(ecr.map((x) => x.tag)) }) } },
    codecommit: {
      source: ["aws.codecommit"],
      "detail-type": ["CodeCommit Repository State Change"],
      detail: { event: ["referenceCreated", "referenceUpdated"], referenceType: ["branch"], repositoryName: cc.length ? unique(cc.map((x) => x.repository)) : none, ...(cc.length > 0 && { referenceName: unique(cc.map((x) => x.branch)) }) },
    },
  };
}
