// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type EventLine, type PipelineRunReport, simulatePipeline } from "../../local/simulate/pipeline/run-pipeline.js";
import { readScenarioFile } from "../../local/simulate/pipeline/scenario.js";
import { commitIdOf } from "../../local/simulate/pipeline/world-setup.js";
import pipelineCommand from "../../cli/commands/pipeline/index.js";
import type { CommandIO } from "../../cli/io.js";
import { grantedActions, recordHandlerCalls } from "../support/iam-calls.js";

/**
 * Every scenario of events/pipelines/ through `simulatePipeline`, the code path of `stepdeploy pipeline
 * simulate`: the compiled state machine on the local engine, the real pipeline handlers, the simulated
 * account (CodeBuild running buildspecs, the deploy-lambda workflow for CodeDeploy actions, s3rver,
 * dynalite). After every step (a start or an operator's command) the registry's stages and actions
 * must agree with the CodePipeline-shaped events put so far, and those events must have
 * CodePipeline's detail fields; the scenario's own expectations (at the end and after given steps)
 * must hold.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIR = `${ROOT}events/pipelines/`;
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

/** Every SDK call the handlers make in this file's scenarios, by function (checked against their roles at the end). */
const handlerCalls = recordHandlerCalls();

const PIPELINE_STATUS: Record<string, string> = { STARTED: "InProgress", RESUMED: "InProgress", SUCCEEDED: "Succeeded", FAILED: "Failed", SUPERSEDED: "Superseded", STOPPED: "Stopped", STOPPING: "Stopping", CANCELED: "Cancelled" };
const ACTION_STATUS: Record<string, string> = { STARTED: "InProgress", SUCCEEDED: "Succeeded", FAILED: "Failed", ABANDONED: "Abandoned" };

/** The status each event says last, per execution / stage / action, from the events put so far. */
function lastStates(events: EventLine[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) out.set([e.execution, e.kind, e.stage ?? "", e.action ?? ""].join("/"), e.state);
  return out;
}

function checkEventShape(e: EventLine): void {
  expect(e.raw.source).toBe("stepdeploy");
  expect(e.raw.detailType).toMatch(/^CodePipeline (Pipeline|Stage|Action) Execution State Change$/);
  const d = e.raw.detail;
  expect(typeof d["pipeline"]).toBe("string");
  expect(typeof d["execution-id"]).toBe("string");
  expect(typeof d["version"]).toBe("number");
  expect(typeof d["pipeline-execution-attempt"]).toBe("number");
  if (e.kind !== "pipeline") expect(d["stage"]).toBe(e.stage);
  if (e.kind === "action") {
    expect(d["action"]).toBe(e.action);
    expect(Object.keys(d["type"] as object).sort()).toEqual(["category", "owner", "provider", "version"]);
    expect(typeof d["region"]).toBe("string");
  }
  if (e.kind === "pipeline" && e.state === "STARTED") expect((d["execution-trigger"] as Record<string, string>)["trigger-type"]).toBeTruthy();
}

/** After each step: the registry says what the events said last, for every execution, stage and action. */
function checkSteps(r: PipelineRunReport): void {
  const seen: EventLine[] = [];
  for (const [i, step] of r.steps.entries()) {
    seen.push(...step.events);
    const last = lastStates(seen);
    const at = `after step ${i + 1} (${step.did})`;
    for (const x of step.executions) {
      expect(PIPELINE_STATUS[last.get(`${x.number}/pipeline//`) ?? ""], `${at}: execution ${x.number}`).toBe(x.status);
      for (const [stage, s] of Object.entries(x.stages)) {
        expect(PIPELINE_STATUS[last.get(`${x.number}/stage/${stage}/`) ?? ""], `${at}: execution ${x.number} stage ${stage}`).toBe(s.status);
        for (const [action, a] of Object.entries(s.actions)) expect(ACTION_STATUS[last.get(`${x.number}/action/${stage}/${action}`) ?? ""], `${at}: ${x.number} ${stage}.${action}`).toBe(a.status);
      }
    }
  }
  // Every event belongs to a step, in order; each execution starts with STARTED; an action ends only after it started.
  expect(r.steps.flatMap((s) => s.events)).toEqual(r.events);
  for (const n of new Set(r.events.map((e) => e.execution))) expect(r.events.find((e) => e.execution === n)?.state).toBe("STARTED");
  const started = new Set<string>();
  for (const e of r.events.filter((x) => x.kind === "action")) {
    const key = `${e.execution}/${e.stage}/${e.action}`;
    if (e.state === "STARTED") started.add(key);
    else expect(started.has(key), `${key} ${e.state} before STARTED`).toBe(true);
  }
}

describe("events/pipelines scenarios on the local engine", () => {
  it.each(FILES)("%s", async (file) => {
    const read = readScenarioFile(`${DIR}${file}`, ROOT);
    if (!read.ok) throw new Error(read.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
    const r = await simulatePipeline(read.scenario, { root: ROOT });
    expect(r.expectationFailures).toEqual([]);
    expect(r.steps).toHaveLength(read.scenario.starts.length + read.scenario.timeline.length);
    for (const e of r.events) checkEventShape(e);
    checkSteps(r);
  });

  it("the seed pipeline fetches the commit, runs the real buildspec (exported variables from the commit) and deploys the built artifact", async () => {
    const read = readScenarioFile(`${DIR}seed-codecommit-build-deploy.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    const r = await simulatePipeline(read.scenario, { root: ROOT });
    const [fetch, build] = r.builds;
    expect(fetch?.id).toMatch(/^stepdeploy-local-git-fetch:/);
    expect(build?.status).toBe("SUCCEEDED");
    expect(build?.exported["BUILT_COMMIT"]).toMatch(/^[0-9a-f]{40}$/);
    expect(r.deployments).toEqual([{ name: expect.stringMatching(/^d-/), status: "SUCCEEDED" }]);
  });

  it("the parallel stage: Lint's buildspec exits 1, Compile still succeeds, the stage fails and Package never starts", async () => {
    const read = readScenarioFile(`${DIR}parallel-one-fails.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    const r = await simulatePipeline(read.scenario, { root: ROOT });
    expect(r.builds.map((b) => [b.id.split(":")[0], b.status, b.failure ?? ""])).toEqual([
      ["compile", "SUCCEEDED", ""],
      ["lint", "FAILED", "BUILD failed (exit status 1)"],
    ]);
    expect(r.executions[0]?.stages["Build"]?.actions["Package"]).toBeUndefined();
  });
});

describe("the ECS deploy action on the simulated ECS (rolling update controller)", () => {
  const run = async (file: string) => {
    const read = readScenarioFile(`${DIR}${file}`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    return simulatePipeline(read.scenario, { root: ROOT });
  };
  const V2 = "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:v2";
  const FLUENT = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";

  it("rolls prod/web to web:2 with the new web image (log-router kept) and succeeds when the rollout COMPLETED", async () => {
    const r = await run("ecs-rolling-deploy.json");
    expect(r.ecsServices).toEqual([{ service: "prod/web", taskDefinition: "web:2", images: { web: V2, "log-router": FLUENT }, deployments: ["PRIMARY web:2 COMPLETED"] }]);
    const action = r.executions[0]?.stages["Deploy"]?.actions["Web"];
    expect(action).toMatchObject({ status: "Succeeded", summary: expect.stringContaining("prod/web to web:2") });
    // the tasks start 40 s after UpdateService; the action looks every 15 s, so it ends at the first look after that
    expect(r.stats.simulatedSeconds).toBeLessThan(120);
  });

  it("fails with the circuit breaker's reason; web:1 stays ACTIVE beside the FAILED web:2", async () => {
    const r = await run("ecs-rolling-circuit-breaker.json");
    expect(r.ecsServices).toEqual([{ service: "prod/web", taskDefinition: "web:2", images: { web: V2, "log-router": FLUENT }, deployments: ["PRIMARY web:2 FAILED", "ACTIVE web:1 COMPLETED"] }]);
    const action = r.executions[0]?.stages["Deploy"]?.actions["Web"];
    expect(action).toMatchObject({ status: "Failed", summary: expect.stringContaining("ECS deployment circuit breaker: tasks failed to start.") });
  });

  it("with the breaker's rollback: run 2's web:3 FAILED, ECS rolls back to web:2 (run 1's deployment) and the action fails once the service is back on it", async () => {
    const r = await run("ecs-rolling-circuit-breaker-rollback.json");
    const V3 = "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:v3";
    expect(r.steps.map((s) => s.ecsServices.map((x) => [x.taskDefinition, x.images["web"], ...x.deployments.map((d) => d.replace(/ecs-svc\/\d+/, "<failed>"))]))).toEqual([
      [["web:2", V2, "PRIMARY web:2 COMPLETED"]],
      [["web:2", V2, "PRIMARY web:2 COMPLETED (rollback of <failed>)"]],
    ]);
    const [ok, failed] = r.executions.map((e) => e.stages["Deploy"]?.actions["Web"]);
    expect(ok).toMatchObject({ status: "Succeeded", summary: expect.stringContaining("prod/web to web:2") });
    expect(failed?.status).toBe("Failed");
    expect(failed?.summary).toMatch(/ECS deployment ecs-svc\/\d+ failed \(ECS deployment circuit breaker: tasks failed to start\) and the deployment circuit breaker rolled the service back: the service is back on web:2 \(rollback deployment ecs-svc\/\d+ COMPLETED, 2\/2 tasks running\)/);
    expect(failed?.summary).toContain(`prod/web to web:3 (web=${V3})`);
  });
});

describe("the CloudFormation deploy action on the simulated CloudFormation", () => {
  const run = async (file: string) => {
    const read = readScenarioFile(`${DIR}${file}`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    return simulatePipeline(read.scenario, { root: ROOT });
  };
  const stacks = (r: PipelineRunReport) => r.steps.map((s) => s.stacks.map((x) => `${x.stack} ${x.status}`));
  const summaries = (r: PipelineRunReport, action: string) => r.executions.map((e) => `${e.stages["Deploy"]?.actions[action]?.status}: ${e.stages["Deploy"]?.actions[action]?.summary}`);

  it("creates, updates, then finds nothing to update; the outputs are the namespace's variables and the OutputFileName artifact", async () => {
    const r = await run("cloudformation-create-update.json");
    expect(stacks(r)).toEqual([["orders-api CREATE_COMPLETE"], ["orders-api UPDATE_COMPLETE"], ["orders-api UPDATE_COMPLETE"]]);
    const [create, update, same] = summaries(r, "Stack");
    expect(create).toMatch(/^Succeeded: CreateStack orders-api; stack orders-api CREATE_COMPLETE; outputs: AssetsBucket, AppRoleArn, Stage, Release, FromArtifacts$/);
    expect(update).toMatch(/^Succeeded: UpdateStack orders-api; stack orders-api UPDATE_COMPLETE; outputs: .*JobsQueue$/);
    expect(same).toMatch(/^Succeeded: stack orders-api: no updates are to be performed/);
    // TemplateConfiguration's Release, ParameterOverrides' Stage and Fn::GetArtifactAtt, as outputs
    expect(r.stacks[0]?.outputs).toMatchObject({ Stage: "prod", Release: "2", FromArtifacts: "s3://pipeline-artifacts", JobsQueue: expect.stringMatching(/^orders-api-Jobs-/) });
    // #{StackVars.Stage} and #{StackVars.Release} resolved in the next action
    expect(summaries(r, "PublishOutputs")).toEqual(["Succeeded: copied StackOutputs to s3://app-sources/outputs/prod-release-1.zip", "Succeeded: copied StackOutputs to s3://app-sources/outputs/prod-release-2.zip", "Succeeded: copied StackOutputs to s3://app-sources/outputs/prod-release-2.zip"]);
  });

  it("CHANGE_SET_REPLACE leaves the new stack in REVIEW_IN_PROGRESS until the approved CHANGE_SET_EXECUTE creates it", async () => {
    const r = await run("cloudformation-change-set.json");
    expect(stacks(r)).toEqual([["orders-api REVIEW_IN_PROGRESS"], ["orders-api CREATE_COMPLETE"]]);
    expect(summaries(r, "CreateChangeSet")).toEqual(["Succeeded: CreateChangeSet orders-release (CREATE); change set orders-release ready (2 change(s))"]);
    expect(summaries(r, "ExecuteChangeSet")[0]).toMatch(/^Succeeded: ExecuteChangeSet orders-release; stack orders-api CREATE_COMPLETE/);
  });

  it("a failed create and a failed update fail the action with the failed resource's reason; REPLACE_ON_FAILURE replaces the ROLLBACK_COMPLETE stack", async () => {
    const r = await run("cloudformation-failure.json");
    expect(stacks(r)).toEqual([["orders-api ROLLBACK_COMPLETE"], ["orders-api DELETE_COMPLETE", "orders-api CREATE_COMPLETE"], ["orders-api DELETE_COMPLETE", "orders-api UPDATE_ROLLBACK_COMPLETE"]]);
    const [created, replaced, updated] = summaries(r, "Stack");
    expect(created).toContain('stack orders-api is ROLLBACK_COMPLETE: Jobs (AWS::SQS::Queue) CREATE_FAILED: Resource handler returned message: \\"Queue orders-jobs already exists\\"');
    expect(replaced).toMatch(/^Succeeded: DeleteStack orders-api; stack orders-api deleted; CreateStack orders-api; stack orders-api CREATE_COMPLETE/);
    expect(updated).toContain("stack orders-api is UPDATE_ROLLBACK_COMPLETE: Assets (AWS::S3::Bucket) UPDATE_FAILED");
    expect(r.stacks.at(-1)?.outputs["Release"]).toBe("1"); // the update rolled back: run 2's outputs stay
  });
});

describe("source events started only through the stack's trigger rules", () => {
  const run = async (file: string) => {
    const read = readScenarioFile(`${DIR}${file}`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    return simulatePipeline(read.scenario, { root: ROOT });
  };
  const started = (r: PipelineRunReport) => r.steps.map((s) => s.executions.length);

  it("CodeCommit: each start pins the commit of the tree pushed to main, and the source variables are that commit", async () => {
    const r = await run("codecommit-trigger.json");
    expect(started(r)).toEqual([1, 1, 1, 1, 2]);
    const commits = [commitIdOf(path.join(ROOT, "events/pipelines/sources/orders-v2"), "main", "orders v2"), commitIdOf(path.join(ROOT, "events/pipelines/sources/demo-app"), "main", "demo")];
    expect(r.executions.map((e) => e.sourceRevisions["Code"])).toEqual(commits.map((CommitId) => ({ CommitId, BranchName: "main" })));
    expect(r.executions.map((e) => e.namespaces["SourceVariables"]?.["CommitId"])).toEqual(commits);
    expect(r.builds.filter((b) => b.id.startsWith("stepdeploy-local-git-fetch:")).map((b) => b.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("S3: each upload of the watched key pins its own ETag; the action emits it", async () => {
    const r = await run("s3-upload-trigger.json");
    expect(started(r)).toEqual([1, 1, 2]);
    const etags = r.executions.map((e) => e.sourceRevisions["Bundle"]?.["ETag"]);
    expect(etags[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(etags[1]).not.toBe(etags[0]);
    expect(r.executions.map((e) => e.namespaces["SourceVariables"]?.["ETag"])).toEqual(etags);
  });

  it("ECR: the trigger Lambda heard exactly the two SUCCESS pushes of api:release (the same push twice starts one execution)", async () => {
    const r = await run("ecr-push-trigger.json");
    expect(started(r)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(r.executions.map((e) => e.pipelineExecutionId)).toEqual([expect.stringMatching(/^ecr-[0-9a-f]{16}$/), expect.stringMatching(/^ecr-[0-9a-f]{16}$/)]);
  });
});

describe("the ElasticBeanstalk deploy action on the simulated Elastic Beanstalk", () => {
  it("deploys a new application version until the environment is Ready on it; a failed deployment fails the action with the environment's first ERROR event", async () => {
    const read = readScenarioFile(`${DIR}elastic-beanstalk-deploy.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    const r = await simulatePipeline(read.scenario, { root: ROOT });
    const label = /^code-pipeline-WebApp-[0-9a-f]{12}$/;
    expect(r.steps.map((s) => s.environments.map((e) => `${e.status} ${e.health}`))).toEqual([["Ready Green"], ["Ready Red"]]);
    expect(r.steps[0]?.environments[0]?.versionLabel).toMatch(label);
    expect(r.environments[0]?.versionLabel).toBe(r.steps[0]?.environments[0]?.versionLabel); // the failed deployment left the previous version
    const [ok, failed] = r.executions.map((e) => e.stages["Deploy"]?.actions["Web"]);
    expect(ok).toMatchObject({ status: "Succeeded", summary: expect.stringMatching(/^environment orders-web-prod runs code-pipeline-WebApp-[0-9a-f]{12} \(health Green\)$/) });
    expect(failed).toMatchObject({ status: "Failed", summary: expect.stringContaining("environment orders-web-prod: [Instance: i-0") });
    expect(failed?.summary).toContain("Command failed on instance. Return code: 1");
  });
});

describe("a manual retry (RetryStageExecution, FAILED_ACTIONS)", () => {
  it("resumes the same execution at the failed stage and runs only the actions that failed, then the rest", async () => {
    const read = readScenarioFile(`${DIR}manual-retry.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    const r = await simulatePipeline(read.scenario, { root: ROOT });
    expect(r.builds.map((b) => `${b.id.split(":")[0]} ${b.status}`)).toEqual(["compile SUCCEEDED", "lint FAILED", "lint SUCCEEDED", "package SUCCEEDED"]);
    expect(r.executions).toHaveLength(1);
    expect(r.executions[0]?.stages["Build"]).toMatchObject({ status: "Succeeded", attempt: 2 });
    expect(r.steps[1]?.events.slice(0, 2).map((e) => `${e.kind} ${e.stage ?? ""} ${e.state}`)).toEqual(["pipeline  RESUMED", "stage Build STARTED"]);
  });
});

describe("starts routed through the stack's trigger code (not direct starts)", () => {
  it("GitHub pushes go through the webhook's V2 filters: a docs-only push and a push to another branch start nothing; a src/ push starts the pipeline pinned to its commit", async () => {
    const read = readScenarioFile(`${DIR}github-push-trigger-filters.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    const r = await simulatePipeline(read.scenario, { root: ROOT });
    expect(r.steps.map((s) => [s.did, s.executions.length, s.events.length])).toEqual([
      ["GitHub push 1 through the webhook's filters", 0, 0],
      ["GitHub push 2 through the webhook's filters", 0, 0],
      ["GitHub push 3 through the webhook's filters", 1, expect.any(Number)],
    ]);
    expect(r.executions[0]).toMatchObject({ status: "Succeeded", trigger: "WebhookV2", pipelineExecutionId: expect.stringMatching(/^git-[0-9a-f]{16}$/) });
    expect(r.builds.map((b) => b.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("an S3 upload reaches the pipeline only through the S3 trigger rule and the trigger Lambda: a key the pipeline does not watch starts nothing, the watched key starts it with the object pinned", async () => {
    const read = readScenarioFile(`${DIR}ecs-rolling-deploy.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    const files = "events/pipelines/sources/ecs-images-v2";
    const scenario = {
      ...read.scenario,
      starts: [
        { atSeconds: 0, upload: { bucket: "app-sources", key: "other.zip", files }, via: "trigger" as const },
        { atSeconds: 10, upload: { bucket: "app-sources", key: "images.zip", files }, via: "trigger" as const },
      ],
      expect: { executions: [{ status: "Succeeded" as const }] },
    };
    const r = await simulatePipeline(scenario, { root: ROOT });
    expect(r.expectationFailures).toEqual([]);
    expect(r.steps.map((s) => s.executions.length)).toEqual([0, 1]);
    expect(r.executions[0]).toMatchObject({ trigger: "CloudWatchEvent", pipelineExecutionId: expect.stringMatching(/^s3-[0-9a-f]{16}$/) });
  });
});

describe("a scenario that leaves an execution waiting for ever", () => {
  it("is stopped once nothing can move it (the janitor's cleanup runs) and reported, instead of hanging", async () => {
    const read = readScenarioFile(`${DIR}disabled-transition.json`, ROOT);
    if (!read.ok) throw new Error("invalid scenario");
    // The transition into Deploy is disabled and never enabled again.
    const scenario = { ...read.scenario, timeline: read.scenario.timeline.filter((t) => !("enableTransition" in t)), expect: { executions: [{ status: "Stopped" as const }] } };
    const r = await simulatePipeline(scenario, { root: ROOT });
    expect(r.expectationFailures).toEqual(["execution 1 waits with nothing left in the scenario to move it; stopped"]);
    expect(r.executions[0]).toMatchObject({ status: "Stopped", stages: { Approve: { status: "Succeeded" } } });
    expect(r.events.at(-1)).toMatchObject({ kind: "pipeline", state: "STOPPED" });
  });
});

describe("stepdeploy pipeline simulate", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    const c: CommandIO = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, env: {} };
    return { c, out, err };
  };

  it("--json: the report of the scenario run on the given definition; exit 0 when its expectations hold", async () => {
    const { c, out } = io();
    const code = await pipelineCommand(["simulate", "events/pipelines/definitions/approval-gate-superseded.json", "--scenario", "events/pipelines/approval-rejected.json", "--json"], c);
    expect(code).toBe(0);
    const report = JSON.parse(out.join("\n")) as PipelineRunReport;
    expect(report.executions.map((e) => e.status)).toEqual(["Failed"]);
    expect(report.steps.map((s) => s.did)).toEqual(["start execution 1", "reject Approve.Review"]);
  });

  it("exit 1 when the scenario's expectation does not hold, naming what differs; 2 when the scenario does not fit the pipeline", async () => {
    const rejected = JSON.parse(readFileSync(`${DIR}approval-rejected.json`, "utf8")) as { expect: { executions: { status: string }[] } };
    rejected.expect = { executions: [{ status: "Succeeded" }] };
    const file = path.join(mkdtempSync(path.join(tmpdir(), "pipeline-scenario-")), "wrong.json");
    writeFileSync(file, JSON.stringify(rejected));
    const { c, out } = io();
    expect(await pipelineCommand(["simulate", "events/pipelines/definitions/approval-gate-superseded.json", "--scenario", file], c)).toBe(1);
    expect(out.join("\n")).toContain("NOT AS EXPECTED: execution 1: status Failed, expected Succeeded");
    const bad = io();
    expect(await pipelineCommand(["simulate", "events/pipelines/definitions/parallel-build.json", "--scenario", "events/pipelines/approval-approved.json"], bad.c)).toBe(2);
    expect(bad.err.join("\n")).toMatch(/timeline\[0\]\.approve\.stage: the pipeline has no stage 'Approve'/);
  });

  it("without --scenario: the scenario written for the definition, else a generic run (--source as every source, approvals a minute apart)", async () => {
    const own = io();
    expect(await pipelineCommand(["simulate", "pipelines/demo.yml", "--json"], own.c)).toBe(0);
    expect((JSON.parse(own.out.join("\n")) as PipelineRunReport).scenario).toBe("demo-pipeline");
    const definition = {
      pipeline: {
        name: "build-and-approve",
        roleArn: "arn:aws:iam::111122223333:role/p",
        artifactStore: { type: "S3", location: "generic-artifacts" },
        stages: [
          { name: "Source", actions: [{ name: "Src", actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" }, configuration: { S3Bucket: "generic-src", S3ObjectKey: "app.zip" }, outputArtifacts: [{ name: "Src" }] }] },
          { name: "Build", actions: [{ name: "Build", actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" }, configuration: { ProjectName: "generic-build", EnvironmentVariables: '[{"name":"COMMIT_ID","value":"#{codepipeline.PipelineExecutionId}"}]' }, inputArtifacts: [{ name: "Src" }], outputArtifacts: [{ name: "Out" }], namespace: "B" }] },
          { name: "Approve", actions: [{ name: "Ok", actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" }, configuration: { CustomData: "built #{B.BUILT_COMMIT}" } }] },
        ],
      },
    };
    const file = path.join(mkdtempSync(path.join(tmpdir(), "pipeline-generic-")), "p.json");
    writeFileSync(file, JSON.stringify(definition));
    const generic = io();
    expect(await pipelineCommand(["simulate", file, "--source", "events/pipelines/sources/seed-app", "--json"], generic.c)).toBe(0);
    const r = JSON.parse(generic.out.join("\n")) as PipelineRunReport;
    expect(r.steps.map((s) => s.did)).toEqual(["start execution 1", "approve Approve.Ok"]);
    expect(r.builds).toEqual([expect.objectContaining({ status: "SUCCEEDED", exported: { BUILT_COMMIT: r.executions[0]?.pipelineExecutionId } })]);
    expect(r.executions[0]?.status).toBe("Succeeded");
  });

  it("usage errors exit 2", async () => {
    const { c, err } = io();
    expect(await pipelineCommand(["simulate"], c)).toBe(2);
    expect(await pipelineCommand(["simulate", "pipelines/demo.yml", "--bogus"], c)).toBe(2);
    expect(err.join("\n")).toContain("usage: stepdeploy pipeline simulate");
  });
});

describe("IAM coverage of the pipeline scenarios above", () => {
  it("every AWS call a handler made in them is an action its role in serverless.yml allows", () => {
    const prefix = "stepdeploy-local-";
    const byFunction = Object.fromEntries([...handlerCalls].map(([fn, actions]) => [fn.slice(prefix.length), [...actions].sort()]));
    // the providers' Lambdas ran (unless a -t filter skipped the scenarios)
    if (Object.keys(byFunction).length === 0) return;
    expect(Object.keys(byFunction)).toEqual(expect.arrayContaining(["pipelineStart", "pipelineRunAction", "pipelinePollAction", "pipelineApproval"]));
    const denied = Object.entries(byFunction).flatMap(([fn, actions]) => {
      const allowed = grantedActions(ROOT, fn);
      return actions.filter((a) => !allowed.has(a)).map((a) => `${fn}: ${a}`);
    });
    expect(denied).toEqual([]);
  });
});
