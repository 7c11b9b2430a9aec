import { beforeEach, describe, expect, it } from "vitest";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { staticAction } from "../../../functions/domain/pipeline/synth/action.js";
import { createHandler as actionEnd } from "../../../functions/handlers/pipeline/actionEnd.js";
import { createHandler as actionStart } from "../../../functions/handlers/pipeline/actionStart.js";
import { createHandler as approval } from "../../../functions/handlers/pipeline/approval.js";
import { createHandler as enterStage } from "../../../functions/handlers/pipeline/enterStage.js";
import { createHandler as finish } from "../../../functions/handlers/pipeline/finish.js";
import { createHandler as leaveStage } from "../../../functions/handlers/pipeline/leaveStage.js";
import { createHandler as runAction } from "../../../functions/handlers/pipeline/runAction.js";
import { createHandler as start } from "../../../functions/handlers/pipeline/start.js";
import { unzipFiles, zipFiles } from "../../../functions/lib/zip-files.js";
import type { DeclaredAction } from "../../../functions/services/pipeline/actions.js";
import type { RunOutput } from "../../../functions/services/pipeline/run-action.js";
import type { DeclaredStage, Run } from "../../../functions/services/pipeline/context.js";
import { answerApproval } from "../../../functions/services/pipeline/operators.js";
import { type FakeWorld, fakeWorld } from "../../support/fakes/index.js";

/**
 * The pipeline handlers on in-memory ports, called with the payloads the compiled workflow sends, in
 * its order, the world moved between calls and asserted after each: S3 source pinned to a version,
 * a manual approval notifying SNS, an S3 deploy that extracts the artifact.
 */
const DIGEST = `sha256:${"ab".repeat(32)}`;
const TOPIC = "arn:aws:sns:us-east-1:123456789012:approvals";

function pipeline(): Pipeline {
  const action = (name: string, category: string, provider: string, configuration: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name, actionTypeId: { category, owner: "AWS", provider, version: "1" }, configuration, ...extra });
  const r = readPipelineValue({
    pipeline: {
      name: "site",
      roleArn: "arn:aws:iam::123456789012:role/pipeline",
      artifactStore: { type: "S3", location: "site-artifacts" },
      stages: [
        { name: "Source", actions: [action("Source", "Source", "S3", { S3Bucket: "site-sources", S3ObjectKey: "site.zip", PollForSourceChanges: "false" }, { outputArtifacts: [{ name: "Site" }], namespace: "Src" })] },
        { name: "Approve", actions: [action("Review", "Approval", "Manual", { NotificationArn: TOPIC, CustomData: "version #{Src.VersionId}" })] },
        { name: "Publish", actions: [action("Upload", "Deploy", "S3", { BucketName: "site-www", Extract: "true", ObjectKey: "v1" }, { inputArtifacts: [{ name: "Site" }] })] },
      ],
    },
  });
  expect(r.errors).toEqual([]);
  return r.pipeline as Pipeline;
}

let w: FakeWorld;
let p: Pipeline;
beforeEach(() => {
  w = fakeWorld();
  p = pipeline();
});

const stageOf = (name: string): DeclaredStage => {
  const i = p.stages.findIndex((s) => s.name === name);
  const s = p.stages[i] as Pipeline["stages"][number];
  return { name: s.name, index: i, onFailure: s.onFailure, inboundTransition: s.inboundTransition, actions: s.actions.map((a) => a.name) };
};
const actionOf = (stage: string, name: string) => {
  const s = p.stages.find((x) => x.name === stage) as Pipeline["stages"][number];
  return staticAction(s, s.actions.find((a) => a.name === name) as Pipeline["stages"][number]["actions"][number]) as unknown as DeclaredAction;
};
const declared = () => ({ name: p.name, pipelineType: p.pipelineType, executionMode: p.executionMode, version: p.version, stages: p.stages.map((s) => s.name), variables: p.variables, ...(p.artifactStore && { artifactStore: p.artifactStore }) });

async function enter(run: Run, stage: string, token: string) {
  await enterStage(w.deps)({ run, stage: stageOf(stage), taskToken: token });
  expect(w.sfn.answerTo(token)).toMatchObject({ ok: true, output: { entered: stage } });
}

describe("pipeline handlers, in the compiled workflow's order", () => {
  it("S3 source pinned to the trigger's version -> approval with an SNS notification -> S3 deploy extracting the artifact", async () => {
    w.artifacts.put("site-sources", "site.zip", await zipFiles([{ name: "index.html", content: new TextEncoder().encode("<h1>v1</h1>") }]));
    w.artifacts.put("site-sources", "site.zip", await zipFiles([{ name: "index.html", content: new TextEncoder().encode("<h1>v2, uploaded later</h1>") }]));

    const { run } = await start(w.deps)({ input: { sourceRevisions: { Source: { VersionId: "v1" } }, trigger: { type: "CloudWatchEvent" } }, pipeline: declared(), executionName: "e-1" });
    expect(run).toMatchObject({ pipeline: "site", pipelineExecutionId: "e-1", entry: null });
    expect(w.logs.at(-1)).toMatchObject({ message: "pipeline execution started", extra: expect.anything() });

    await enter(run, "Source", "t-source");
    const source = actionOf("Source", "Source");
    const started = await actionStart(w.deps)({ run, action: source });
    expect(started.skip).toBe(false);
    const output = (await runAction(w.deps)({ action: source, request: started.request as never })) as RunOutput;
    expect(output.variables).toEqual({ ETag: "etag-v1", VersionId: "v1" });
    await actionEnd(w.deps)({ run, action: source, status: "Succeeded", request: started.request as never, result: { output } });
    await leaveStage(w.deps)({ run, stage: stageOf("Source") });
    const afterSource = await w.pipelines.getExecution("site", "e-1");
    const artifact = afterSource?.artifacts["Site"] as { bucket: string; key: string };
    expect(artifact.bucket).toBe("site-artifacts");
    expect(artifact.key).toMatch(/^site\/Site\/[0-9A-F]{7}$/);
    expect(new TextDecoder().decode((await unzipFiles((await w.artifacts.getObject(artifact)).body))[0]?.content)).toBe("<h1>v1</h1>");
    expect(afterSource?.namespaces["Src"]).toEqual({ ETag: "etag-v1", VersionId: "v1" });

    await enter(run, "Approve", "t-approve");
    const review = actionOf("Approve", "Review");
    const asked = await actionStart(w.deps)({ run, action: review });
    await approval(w.deps)({ run, action: review, request: asked.request as never, taskToken: "t-review" });
    expect(w.notifications.published).toHaveLength(1);
    const message = JSON.parse(w.notifications.published[0]?.message ?? "{}");
    expect(w.notifications.published[0]?.topicArn).toBe(TOPIC);
    expect(message.approval).toMatchObject({ pipelineName: "site", stageName: "Approve", actionName: "Review", customData: "version v1" });
    expect(w.sfn.answerTo("t-review")).toBeUndefined();
    await answerApproval({ pipelines: w.pipelines, tasks: w.sfn, pipelineEvents: w.pipelineEvents, clock: w.deps.clock, config: w.deps.config.pipeline }, { pipeline: "site", stage: "Approve", action: "Review", status: "Approved", by: "alice", summary: "ship it" });
    expect(w.sfn.answerTo("t-review")).toMatchObject({ ok: true, output: { status: "Approved", approvedBy: "alice", summary: "ship it" } });
    await actionEnd(w.deps)({ run, action: review, status: "Succeeded", request: asked.request as never, result: w.sfn.answerTo("t-review")?.ok ? ((w.sfn.answerTo("t-review") as { output: Record<string, unknown> }).output) : {} });
    await leaveStage(w.deps)({ run, stage: stageOf("Approve") });

    await enter(run, "Publish", "t-publish");
    const upload = actionOf("Publish", "Upload");
    const deploy = await actionStart(w.deps)({ run, action: upload });
    const deployed = (await runAction(w.deps)({ action: upload, request: deploy.request as never })) as RunOutput;
    expect(deployed.summary).toContain("extracted 1 file(s)");
    expect(w.artifacts.text("site-www", "v1/index.html")).toBe("<h1>v1</h1>");
    await actionEnd(w.deps)({ run, action: upload, status: "Succeeded", request: deploy.request as never, result: { output: deployed } });
    await leaveStage(w.deps)({ run, stage: stageOf("Publish") });
    await finish(w.deps)({ run });

    expect((await w.pipelines.getExecution("site", "e-1"))?.status).toBe("Succeeded");
    expect(w.pipelineEvents.states()).toEqual([
      "pipeline:e-1::STARTED",
      "stage:e-1:Source:STARTED", "action:e-1:Source.Source:STARTED", "action:e-1:Source.Source:SUCCEEDED", "stage:e-1:Source:SUCCEEDED",
      "stage:e-1:Approve:STARTED", "action:e-1:Approve.Review:STARTED", "action:e-1:Approve.Review:SUCCEEDED", "stage:e-1:Approve:SUCCEEDED",
      "stage:e-1:Publish:STARTED", "action:e-1:Publish.Upload:STARTED", "action:e-1:Publish.Upload:SUCCEEDED", "stage:e-1:Publish:SUCCEEDED",
      "pipeline:e-1::SUCCEEDED",
    ]);
  });
});

describe("runAction providers", () => {
  const ecr = (revision?: Record<string, string>) => ({
    action: { name: "Image", stage: "Source", actionTypeId: { category: "Source", owner: "AWS", provider: "ECR", version: "1" }, runOrder: 1, configuration: { RepositoryName: "web" }, inputArtifacts: [], outputArtifacts: [{ name: "Img" }] } as unknown as DeclaredAction,
    request: { configuration: { RepositoryName: "web" }, inputs: [], outputs: [{ name: "Img", bucket: "a", key: "p/Img/K1" }], ...(revision && { revision }) },
  });

  it("ECR source: imageDetail.json for the pinned digest, zipped, and the five variables", async () => {
    const out = (await runAction(w.deps)(ecr({ ImageDigest: DIGEST, ImageTag: "v7" }))) as RunOutput;
    const uri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`;
    expect(out.variables).toEqual({ RegistryId: "123456789012", RepositoryName: "web", ImageTag: "v7", ImageDigest: DIGEST, ImageURI: uri });
    const [file] = await unzipFiles((await w.artifacts.getObject({ bucket: "a", key: "p/Img/K1" })).body);
    expect(file?.name).toBe("imageDetail.json");
    expect(JSON.parse(new TextDecoder().decode(file?.content))).toMatchObject({ ImageDigest: DIGEST, ImageURI: uri, RepositoryName: "web", ImageTags: ["v7"] });
  });

  it.each([[undefined], [{ ImageDigest: "latest" }]])("ECR source without a pinned sha256 digest (%j) fails naming the action and the field", async (revision) => {
    await expect(runAction(w.deps)(ecr(revision))).rejects.toMatchObject({ name: "Pipeline.ActionFailed", message: expect.stringContaining("Source.Image has no pinned image digest") });
  });

  it("S3 source whose pinned version is gone fails with Deploy.ResourceNotFound naming the object", async () => {
    w.artifacts.put("b", "k.zip", "x");
    const action = { name: "S", stage: "Source", actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" } } as unknown as DeclaredAction;
    await expect(runAction(w.deps)({ action, request: { configuration: { S3Bucket: "b", S3ObjectKey: "k.zip" }, inputs: [], outputs: [{ name: "o", bucket: "a", key: "o" }], revision: { VersionId: "v9" } } })).rejects.toMatchObject({ name: "Deploy.ResourceNotFound", message: expect.stringContaining("s3://b/k.zip?versionId=v9") });
  });

  it("S3 deploy without Extract copies the artifact to ObjectKey as it is", async () => {
    w.artifacts.put("a", "p/Built/K", "zip-bytes");
    const action = { name: "Up", stage: "Deploy", actionTypeId: { category: "Deploy", owner: "AWS", provider: "S3", version: "1" } } as unknown as DeclaredAction;
    await runAction(w.deps)({ action, request: { configuration: { BucketName: "www", Extract: "false", ObjectKey: "releases/app.zip" }, inputs: [{ name: "Built", bucket: "a", key: "p/Built/K" }], outputs: [] } });
    expect(w.artifacts.text("www", "releases/app.zip")).toBe("zip-bytes");
  });
});
