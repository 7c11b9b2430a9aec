import { createHash } from "node:crypto";
import path from "node:path";
import type { PipelineTrigger } from "../../../functions/domain/pipeline/stack/triggers.js";
import { triggerPatterns } from "../../../functions/domain/pipeline/stack/triggers.js";
import type { SimAccount } from "../../account/index.js";
import type { LocalRuntime } from "../../runtime/runtime.js";
import type { PipelineScenario } from "./scenario.js";
import { commitIdOf, type PipelineWorld } from "./world-setup.js";

/**
 * Source changes routed as the deployed stack routes them: the trigger Lambda (pipelineTrigger, the
 * real handler) behind its three EventBridge rules on the default bus, with the patterns the stack
 * deploys for this pipeline (`triggerPatterns`, what config/pipelines.cjs puts into serverless.yml).
 * A scenario's ECR push, CodeCommit branch change or S3 upload only sends the event its service sends;
 * whether anything starts is up to the rules and the Lambda.
 */
export const TRIGGER_FUNCTION = "PipelineTriggerLambdaFunction";

/** The trigger rules of a stack whose pipelines/ holds this pipeline (its state machine `stateMachine`), delivering to the real handler. */
export function subscribeTriggerRules(account: SimAccount, runtime: LocalRuntime, triggers: PipelineTrigger[]): () => void {
  // The handler reads its triggers from the environment the stack gives it (serverless.yml PIPELINE_TRIGGERS).
  process.env.PIPELINE_TRIGGERS = JSON.stringify(triggers);
  const patterns = triggerPatterns(triggers);
  const off = (Object.keys(patterns) as (keyof typeof patterns)[]).map((kind) =>
    account.subscribe({
      name: `${TRIGGER_FUNCTION}-${kind}-trigger`,
      pattern: patterns[kind] as never,
      // Lambda's asynchronous invocation retries a failed event twice (its default), as for the stack's other rules.
      retryAttempts: 2,
      target: async (event) => {
        await runtime.invokeFunction(TRIGGER_FUNCTION, event);
      },
    }),
  );
  return () => {
    for (const o of off) o();
  };
}

type Start = PipelineScenario["starts"][number];

/**
 * Sends the event of a start made of a source change and says what it was and which rules took it
 * (none: the step starts nothing). S3: the "Object Created" event S3 sends once EventBridge is on for
 * the bucket (S3 user guide, ev-events); s3rver keeps no versions, so there is no `version-id` and the
 * ETag is what gets pinned. ECR: the simulated ECR's push. CodeCommit: the "CodeCommit Repository State
 * Change" of the CodeCommit user guide (monitoring-events), `files` making a new commit of the branch.
 */
export function sendSourceEvent(account: SimAccount, w: PipelineWorld, root: string, s: Start, uploaded: { eTag?: string; versionId?: string; size?: number }): { what: string; rules: string[] } {
  let eventId: string;
  let what: string;
  if (s.ecrPush) {
    const p = s.ecrPush;
    const { digest, event } = account.ecr.push({ repository: p.repository, ...(p.tag !== undefined && { tag: p.tag }), ...(p.digest && { digest: p.digest }), ...(p.result && { result: p.result }) });
    eventId = event.eventId;
    what = `ECR push ${p.repository}${p.tag ? `:${p.tag}` : " (untagged)"}@${digest} ${p.result ?? "SUCCESS"}`;
  } else if (s.codecommitPush) {
    const c = s.codecommitPush;
    const kind = c.event ?? "referenceUpdated";
    const branches = w.repositories.get(c.repository) ?? [];
    const head = branches.find((b) => b.branch === c.branch);
    let commitId = head?.commitId;
    if (c.files !== undefined && kind !== "referenceDeleted") {
      const dir = path.resolve(root, c.files);
      commitId = commitIdOf(dir, c.branch, c.message ?? "");
      // The newest commit of the branch first: the git fetch checks out by commit id, manual starts take the head.
      branches.unshift({ branch: c.branch, dir, commitId, ...(c.message !== undefined && { message: c.message }) });
      w.repositories.set(c.repository, branches);
    }
    const ref = { repositoryName: c.repository, repositoryId: uuidOf(c.repository), referenceType: "branch", referenceName: c.branch, referenceFullName: `refs/heads/${c.branch}` };
    const ids = kind === "referenceDeleted" ? { oldCommitId: head?.commitId ?? uuidOf(c.branch) } : kind === "referenceUpdated" && head && head.commitId !== commitId ? { commitId, oldCommitId: head.commitId } : { commitId: commitId ?? uuidOf(`${c.repository}/${c.branch}`) };
    const event = account.eventbridge.emit({ source: "aws.codecommit", detailType: "CodeCommit Repository State Change", detail: { event: kind, ...ref, ...ids }, resources: [`arn:aws:codecommit:${account.eventbridge.region}:${account.eventbridge.accountId}:${c.repository}`] });
    eventId = event.eventId;
    what = `CodeCommit ${kind} ${c.repository} refs/heads/${c.branch}${"commitId" in ids ? ` at ${ids.commitId}` : ""}`;
  } else {
    const u = s.upload as NonNullable<Start["upload"]>;
    const object = { key: u.key, ...(uploaded.size !== undefined && { size: uploaded.size }), ...(uploaded.eTag && { etag: uploaded.eTag }), ...(uploaded.versionId && { "version-id": uploaded.versionId }), sequencer: createHash("sha1").update(`${u.bucket}/${u.key}/${uploaded.eTag}/${s.atSeconds}`).digest("hex").slice(0, 16).toUpperCase() };
    const detail = { version: "0", bucket: { name: u.bucket }, object, "request-id": uuidOf(`${u.key}/${s.atSeconds}`).slice(0, 16), requester: account.eventbridge.accountId, reason: "PutObject" };
    eventId = account.eventbridge.emit({ source: "aws.s3", detailType: "Object Created", detail, resources: [`arn:aws:s3:::${u.bucket}`] }).eventId;
    what = `S3 Object Created s3://${u.bucket}/${u.key} (etag ${uploaded.eTag ?? "?"})`;
  }
  return { what, rules: account.eventbridge.deliveries.filter((d) => d.eventId === eventId).map((d) => d.rule) };
}

/** A stable UUID-shaped id from a name (CodeCommit's repositoryId, a request id). */
function uuidOf(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
