import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { triggeredStarts } from "../../../functions/domain/pipeline/execution/trigger-events.js";
import type { PipelineTrigger } from "../../../functions/domain/pipeline/stack/triggers.js";
import { createHandler as janitor } from "../../../functions/handlers/pipeline/janitor.js";
import { createHandler as trigger } from "../../../functions/handlers/pipeline/trigger.js";
import { fakeWorld } from "../../support/fakes/index.js";

/** Source events -> pipeline executions (pinned revision, deterministic names) and dead executions -> released stages. */
const TRIGGERS: PipelineTrigger[] = [
  { pipeline: "site", stateMachine: "sd-pipeline-site", action: "Upload", s3: { bucket: "src", key: "site.zip" } },
  { pipeline: "api", stateMachine: "sd-pipeline-api", action: "Image", ecr: { repository: "api", tag: "latest" } },
  { pipeline: "app", stateMachine: "sd-pipeline-app", action: "Source", codecommit: { repository: "app", branch: "main" } },
];
const DIGEST = `sha256:${"c".repeat(64)}`;
const s3 = (key: string, version?: string) => ({ source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "src" }, object: { key, etag: "e1", sequencer: "01", ...(version && { "version-id": version }) } } });
const ecr = (tag: string, result = "SUCCESS") => ({ source: "aws.ecr", "detail-type": "ECR Image Action", time: "2026-01-01T00:00:00Z", detail: { "action-type": "PUSH", result, "repository-name": "api", "image-tag": tag, "image-digest": DIGEST } });
const git = (branch: string) => ({ source: "aws.codecommit", "detail-type": "CodeCommit Repository State Change", detail: { event: "referenceUpdated", referenceType: "branch", repositoryName: "app", referenceName: branch, commitId: "abc123" } });

describe("trigger events", () => {
  it.each([
    ["S3 upload of the watched key", s3("site.zip", "v7"), "site", { Upload: { VersionId: "v7", ETag: "e1" } }],
    ["ECR push of the watched tag", ecr("latest"), "api", { Image: { ImageDigest: DIGEST, ImageTag: "latest", ImagePushedAt: "2026-01-01T00:00:00Z" } }],
    ["CodeCommit update of the watched branch", git("main"), "app", { Source: { CommitId: "abc123", BranchName: "main" } }],
  ])("%s starts that pipeline with the revision pinned", (_, event, pipeline, revisions) => {
    const [start, ...more] = triggeredStarts(event, TRIGGERS);
    expect(more).toEqual([]);
    expect(start).toMatchObject({ pipeline, input: { trigger: { type: "CloudWatchEvent" }, sourceRevisions: revisions } });
    expect(start?.executionName).toMatch(/^(s3|ecr|git)-[0-9a-f]{16}$/);
  });

  it.each([
    ["another key", s3("other.zip")],
    ["another tag", ecr("v2")],
    ["a failed push", ecr("latest", "FAILURE")],
    ["another branch", git("dev")],
    ["another service", { source: "aws.ec2", "detail-type": "x", detail: {} }],
  ])("%s starts nothing", (_, event) => {
    expect(triggeredStarts(event, TRIGGERS)).toEqual([]);
  });

  it("the same event always gives the same execution name (a repeated delivery starts nothing new); another revision another name", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (v1, v2) => {
        const a = triggeredStarts(s3("site.zip", v1), TRIGGERS)[0]?.executionName;
        expect(triggeredStarts(s3("site.zip", v1), TRIGGERS)[0]?.executionName).toBe(a);
        if (v1 !== v2) expect(triggeredStarts(s3("site.zip", v2), TRIGGERS)[0]?.executionName).not.toBe(a);
      }),
    );
  });
});

describe("trigger and janitor handlers", () => {
  it("the trigger starts the watching pipeline's machine once; a repeated delivery finds it", async () => {
    const w = fakeWorld({ pipeline: { region: "us-east-1", account: "123456789012", gitFetchProject: "", stateMachineArnPrefix: "arn:aws:states:us-east-1:123456789012:stateMachine:", triggers: TRIGGERS, webhookSecretParameter: "", pipelines: [] } });
    const first = await trigger(w.deps)(s3("site.zip", "v1"));
    expect(first.started).toEqual([{ pipeline: "site", executionArn: expect.stringContaining(":execution:sd-pipeline-site:s3-"), alreadyExisted: false }]);
    const again = await trigger(w.deps)(s3("site.zip", "v1"));
    expect(again.started[0]?.alreadyExisted).toBe(true);
  });

  it("the janitor releases the stage an aborted execution held, admitting the one waiting there, and closes it Stopped", async () => {
    const pipelines = [{ pipeline: "site", stateMachine: "sd-pipeline-site", stages: ["Source", "Deploy"], executionMode: "SUPERSEDED" as const }];
    const w = fakeWorld({ pipeline: { region: "us-east-1", account: "123456789012", gitFetchProject: "", stateMachineArnPrefix: "", triggers: [], webhookSecretParameter: "", pipelines } });
    const record = (id: string, at: number) => ({ pipeline: "site", executionId: id, version: 1, status: "InProgress" as const, executionType: "STANDARD" as const, trigger: { type: "StartPipelineExecution" }, startedAtMs: at, variables: {}, namespaces: {}, artifacts: {}, sourceRevisions: {}, stages: {} });
    await w.pipelines.createExecution({ ...record("e1", 1), stages: { Deploy: { status: "InProgress", attempt: 1, automaticRetries: 0, actions: { Go: { status: "InProgress", type: { category: "Deploy", owner: "AWS", provider: "S3", version: "1" }, stageAttempt: 1, startedAtMs: 1 } } } } });
    await w.pipelines.createExecution(record("e2", 2));
    w.pipelines.gates.set("site/Deploy", { holder: "e1", waiting: [{ executionId: "e2", token: "t2" }], transition: { enabled: true } });
    const detail = { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:sd-pipeline-site", name: "e1", status: "ABORTED", input: "{}" };
    expect(await janitor(w.deps)({ detail })).toEqual({ released: "e1" });
    expect((await w.pipelines.getExecution("site", "e1"))?.status).toBe("Stopped");
    expect((await w.pipelines.getExecution("site", "e1"))?.stages["Deploy"]?.actions["Go"]?.status).toBe("Abandoned");
    expect(w.sfn.answerTo("t2")).toMatchObject({ ok: true });
    expect(w.pipelineEvents.states()).toEqual(["stage:e2:Deploy:STARTED", "action:e1:Deploy.Go:ABANDONED", "pipeline:e1::STOPPED"]);
    expect(await janitor(w.deps)({ detail: { ...detail, stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:other" } })).toEqual({ released: null });
  });
});
