import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Pipeline, readPipeline } from "../functions/domain/pipeline/index.js";
import { synthesize } from "../functions/domain/pipeline/synth/index.js";
import { ASSUMED_BILLED_MS, estimateCostUsd } from "../local/runtime/history.js";
import { type GraphScript, runGraph } from "../local/simulate/pipeline/graph-run.js";
import { markdownTable } from "./table.js";

/**
 * `npx tsx bench/pipelines.ts`: what one run of each pipeline shape costs as a compiled Step
 * Functions workflow, beside CodePipeline's prices for the same run (codepipeline-spec §6):
 * - Step Functions: state transitions (what Standard bills) and history events from running the
 *   compiled graph on the local engine, our Lambda invocations (256 MB x 100 ms assumed each), and one
 *   custom EventBridge event per pipeline/stage/action state change;
 * - CodePipeline V2: $0.002 per action minute, each action rounded up to whole minutes, manual
 *   approval free, at the action durations assumed below; V1: $1 per pipeline-month, shown per run at
 *   20 runs a month.
 * The Lambdas are answered by a script here (local/simulate/pipeline/graph-run.ts), so their own AWS
 * calls (DynamoDB, PutEvents) are not counted yet; CodeBuild, CodeDeploy and the rest cost the same
 * in both designs and are left out, as in the spec's comparison.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const V2_PER_ACTION_MINUTE = 0.002;
const V1_PER_RUN_AT_20_A_MONTH = 1 / 20;

/** Assumed action minutes (the spec's model: source 1, build 5, test 3, deploy 6). */
function actionMinutes(category: string, provider: string): number {
  if (category === "Approval") return 0;
  if (category === "Source") return 1;
  if (category === "Test") return 3;
  if (category === "Build") return 5;
  if (provider === "CloudFormation") return 3;
  return 6;
}

interface Shape {
  name: string;
  file: string;
  script?: GraphScript;
  outcome: string;
}

const SHAPES: Shape[] = [
  { name: "seed: CodeCommit -> CodeBuild -> CodeDeploy", file: "pipelines/seed-app.json", outcome: "Succeeded" },
  { name: "demo: S3 -> CodeBuild -> approval -> CodeDeploy", file: "pipelines/demo.yml", outcome: "Succeeded" },
  { name: "parallel build, then package and deploy", file: "events/pipelines/definitions/parallel-build.json", outcome: "Succeeded" },
  { name: "parallel build, one action fails", file: "events/pipelines/definitions/parallel-build.json", script: { failing: ["Build.Lint"] }, outcome: "Failed" },
  { name: "stage retry (FAILED_ACTIONS), flaky test passes on retry", file: "events/pipelines/definitions/retry-failed-actions.json", script: { flaky: ["Test.Flaky"], onStageFailed: (_s, n) => (n === 1 ? { next: "RETRY", retryMode: "FAILED_ACTIONS" } : { next: "FAIL" }) }, outcome: "Succeeded" },
  { name: "S3 -> ECS rolling deploy (imagedefinitions.json, 4 polls)", file: "events/pipelines/definitions/ecs-rolling.json", script: { polls: () => 4 }, outcome: "Succeeded" },
  { name: "S3 -> CloudFormation CREATE_UPDATE (3 min: 12 polls) -> S3 publish of the outputs", file: "events/pipelines/definitions/cloudformation-create-update.json", script: { polls: () => 12 }, outcome: "Succeeded" },
  { name: "S3 -> CloudFormation change set: replace (1 poll) -> approval -> execute (12 polls)", file: "events/pipelines/definitions/cloudformation-change-set.json", script: { polls: (a) => (a.includes("ExecuteChangeSet") ? 12 : 1) }, outcome: "Succeeded" },
  { name: "S3 -> CloudFormation REPLACE_ON_FAILURE, the stack rolls back (8 polls)", file: "events/pipelines/definitions/cloudformation-replace-on-failure.json", script: { failing: ["Deploy.Stack"], polls: () => 8 }, outcome: "Failed" },
  { name: "S3 -> Elastic Beanstalk (a 5 min deployment: 20 polls)", file: "events/pipelines/definitions/elastic-beanstalk.json", script: { polls: () => 20 }, outcome: "Succeeded" },
  { name: "V2: connection, 2+1 parallel builds, CloudFormation (3 polls each), S3 + Beanstalk (5 polls)", file: "test/fixtures/pipelines/valid/v2-github-connection.yml", script: { polls: (a) => (a.includes("Beanstalk") ? 5 : 3) }, outcome: "Succeeded" },
];

/** Every action execution is billed, a failed one and each retry included. */
function codePipelineV2(pipeline: Pipeline, trace: string[]): number {
  let minutes = 0;
  for (const stage of pipeline.stages) {
    for (const a of stage.actions) {
      const runs = trace.filter((t) => t === `${stage.name}.${a.name}`).length;
      minutes += runs * Math.ceil(actionMinutes(a.actionTypeId.category, a.actionTypeId.provider));
    }
  }
  return minutes * V2_PER_ACTION_MINUTE;
}

export async function benchPipelines(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const shape of SHAPES) {
    const pipeline = readPipeline(readFileSync(join(ROOT, shape.file), "utf8")).pipeline as Pipeline;
    const { definition } = synthesize(pipeline);
    const started = performance.now();
    const run = await runGraph(definition, shape.script);
    const wallMs = Math.round(performance.now() - started);
    // A shape that did not end as expected is a broken bench, not a figure: say so instead of printing it.
    if ((shape.outcome === "Succeeded") !== (run.error === undefined)) throw new Error(`bench/pipelines: '${shape.name}' should end ${shape.outcome}, ended ${run.error ?? "Succeeded"}`);
    const actionsRun = run.trace.filter((t) => t.endsWith("(start)")).length;
    const stagesEntered = run.trace.filter((t) => t.endsWith("(enter)")).length;
    const customEvents = 2 + 2 * stagesEntered + 2 * actionsRun;
    const sfn = estimateCostUsd({ stateTransitions: run.stats.stateTransitions, lambdaInvocations: run.lambdaInvocations, lambdaGbSeconds: (run.lambdaInvocations * 0.25 * ASSUMED_BILLED_MS) / 1000, customEvents });
    const v2 = codePipelineV2(pipeline, run.trace);
    rows.push({
      shape: shape.name,
      outcome: run.error ? `${shape.outcome} (${run.error})` : shape.outcome,
      stages: pipeline.stages.length,
      actions: pipeline.stages.reduce((n, s) => n + s.actions.length, 0),
      transitions: run.stats.stateTransitions,
      "history events": run.stats.historyEvents,
      "our Lambda invocations": run.lambdaInvocations,
      "direct integrations": run.integrationCalls,
      "custom events": customEvents,
      "stepdeploy est. cost": `$${sfn.toFixed(6)}`,
      "CodePipeline V2 (action minutes)": `$${v2.toFixed(3)}`,
      "CodePipeline V1 (per run, 20/month)": `$${V1_PER_RUN_AT_20_A_MONTH.toFixed(3)}`,
      "local wall ms": wallMs,
    });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchPipelines();
  const columns = Object.keys(rows[0] ?? {}).map((key) => ({ key, title: key }));
  console.log(markdownTable(rows, columns));
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/pipelines.json"), `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
}
