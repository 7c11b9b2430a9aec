import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Pipeline, readPipeline } from "../../../functions/domain/pipeline/index.js";
import { synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import { compareExecution, type ExecutionView } from "../../../local/simulate/pipeline/run-pipeline.js";
import { readScenario, readScenarioFile } from "../../../local/simulate/pipeline/scenario.js";
import { aslErrors } from "./synth-support.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PIPELINES = path.join(ROOT, "pipelines");
const SCENARIOS = path.join(ROOT, "events/pipelines");

describe("the example pipelines (pipelines/)", () => {
  it.each(readdirSync(PIPELINES))("%s validates with no warnings, and its checked-in compiled workflow is up to date and valid", (file) => {
    const r = readPipeline(readFileSync(path.join(PIPELINES, file), "utf8"));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const pipeline = r.pipeline as Pipeline;
    const compiled = `${JSON.stringify(synthesize(pipeline).definition, null, 2)}\n`;
    const checkedIn = readFileSync(path.join(ROOT, "statemachines/pipelines", `${pipeline.name}.asl.json`), "utf8");
    expect(checkedIn, "run: npx stepdeploy pipeline synth pipelines/<file> --out statemachines/pipelines").toBe(compiled);
    expect(aslErrors(JSON.parse(checkedIn))).toEqual([]);
  });
});

describe("pipeline scenarios (events/pipelines/)", () => {
  it.each(readdirSync(SCENARIOS).filter((f) => f.endsWith(".json")))("%s names only stages and actions its pipeline has", (file) => {
    const r = readScenarioFile(path.join(SCENARIOS, file), ROOT);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it("a scenario that names what the pipeline lacks is refused at the path", () => {
    const raw = JSON.parse(readFileSync(path.join(SCENARIOS, "superseded-three-triggers.json"), "utf8"));
    raw.timeline.push({ atSeconds: 5, approve: { stage: "Deploy", action: "Deploy" } }, { atSeconds: 6, disableTransition: { stage: "Source", reason: "x" } }, { atSeconds: 7, retry: { execution: 4, stage: "Approve" } });
    raw.expect.executions[0].stages = { Prod: "Succeeded" };
    raw.expect.executions[1].status = "Done";
    const r = readScenario(raw, ROOT);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(["timeline[2].approve.action", "timeline[3].disableTransition.stage", "timeline[4].retry.execution", "expect.executions[0].stages.Prod", "expect.executions[1].status"]);
  });

  it.each([
    [{ atSeconds: 0, via: "trigger" }, "starts[0].via"],
    [{ atSeconds: 0, githubPush: { repository: "acme/web", branch: "main", tag: "v1" } }, "starts[0].githubPush"],
    [{ atSeconds: 0, githubPush: { repository: "acme/web", branch: "main", files: "src/a.js" } }, "starts[0].githubPush"],
    [{ atSeconds: 0, githubPush: { repository: "acme/web", branch: "main" }, variables: { A: "1" } }, "starts[0].githubPush"],
    [{ atSeconds: 0, ecrPush: { repository: "api", tag: "release", digest: "sha256:abc" } }, "starts[0].ecrPush"],
    [{ atSeconds: 0, ecrPush: { repository: "api", result: "DONE" } }, "starts[0].ecrPush"],
    [{ atSeconds: 0, codecommitPush: { repository: "app", branch: "main", event: "pullRequestCreated" } }, "starts[0].codecommitPush"],
    [{ atSeconds: 0, codecommitPush: { repository: "app" } }, "starts[0].codecommitPush"],
    [{ atSeconds: 0, codecommitPush: { repository: "app", branch: "main" }, ecrPush: { repository: "api" } }, "starts[0]"],
    [{ atSeconds: 0, ecrPush: { repository: "api" }, trigger: "Manual" }, "starts[0].ecrPush"],
  ])("a routed start that cannot be routed is refused at the path: %j", (start, field) => {
    const raw = JSON.parse(readFileSync(path.join(SCENARIOS, "github-push-trigger-filters.json"), "utf8"));
    raw.starts = [start];
    raw.expect = { executions: [{ status: "Succeeded" }] };
    const r = readScenario(raw, ROOT);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual([field]);
  });

  it("expected pinned revisions and variables must name a source action and a namespace of the pipeline", () => {
    const raw = JSON.parse(readFileSync(path.join(SCENARIOS, "ecr-push-trigger.json"), "utf8"));
    raw.expect.executions[0].sourceRevisions = { Build: { ImageDigest: "x" } };
    raw.expect.executions[1].namespaces = { BuildVariables: { X: "1" } };
    const r = readScenario(raw, ROOT);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(["expect.executions[0].sourceRevisions.Build", "expect.executions[1].namespaces.BuildVariables"]);
  });
});

describe("an execution against what a scenario expects of it", () => {
  const got: ExecutionView = {
    number: 1,
    pipelineExecutionId: "ecr-0123456789abcdef",
    status: "Succeeded",
    executionType: "STANDARD",
    trigger: "CloudWatchEvent",
    sourceRevisions: { Image: { ImageDigest: "sha256:1", ImageTag: "release" } },
    namespaces: { SourceVariables: { ImageDigest: "sha256:1", ImageURI: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:1" } },
    stages: {},
  };

  it.each([
    ["the fields given hold, <any> only asks for the field", { status: "Succeeded", trigger: "CloudWatchEvent", sourceRevisions: { Image: { ImageTag: "release" } }, namespaces: { SourceVariables: { ImageURI: "<any>" } } }, []],
    ["another trigger", { status: "Succeeded", trigger: "StartPipelineExecution" }, ["x: trigger CloudWatchEvent, expected StartPipelineExecution"]],
    ["another pinned digest", { status: "Succeeded", sourceRevisions: { Image: { ImageDigest: "sha256:2" } } }, ["x: sourceRevisions.Image.ImageDigest sha256:1, expected sha256:2"]],
    ["a variable the action did not emit, even as <any>", { status: "Succeeded", namespaces: { SourceVariables: { RegistryId: "<any>" } } }, ["x: namespaces.SourceVariables.RegistryId (none), expected <any>"]],
  ] as const)("%s", (_, want, diffs) => {
    expect(compareExecution("x", want as never, got)).toEqual(diffs);
  });
});
