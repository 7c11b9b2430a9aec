import { createHash } from "node:crypto";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { readGitHubEvent, webhookStarts } from "../../../functions/domain/pipeline/execution/git-webhook.js";
import type { TriggeredStart } from "../../../functions/domain/pipeline/execution/trigger-events.js";
import { gitFetchProjectName } from "../../../functions/domain/pipeline/stack/git-fetch-project.js";
import { type PipelineTrigger, pipelineTriggers } from "../../../functions/domain/pipeline/stack/triggers.js";
import { stateMachineName } from "../../../functions/domain/pipeline/stack/stack.js";
import { synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import type { PipelineExecution } from "../../../functions/ports/pipeline-registry.js";
import type { PipelineDeps } from "../../../functions/services/pipeline/context.js";
import { abandonExecution, answerApproval, setTransition } from "../../../functions/services/pipeline/operators.js";
import { startExecution, stopExecution } from "../../../functions/adapters/sfn.js";
import { realDeps } from "../../../functions/wiring.js";
import type { CodeBuildWorld } from "../../account/codebuild/world.js";
import { cloudFormationWorldOf } from "../../account/cloudformation/index.js";
import type { CloudFormationWorld } from "../../account/cloudformation/world.js";
import { ecsWorldOf } from "../../account/ecs/index.js";
import { elasticBeanstalkWorldOf } from "../../account/elasticbeanstalk/index.js";
import type { ElasticBeanstalkWorld } from "../../account/elasticbeanstalk/world.js";
import type { EcsWorld } from "../../account/ecs/world.js";
import type { ExecutionReport } from "../../runtime/runtime.js";
import { buildBundle } from "../release/bundle-dir.js";
import { openSimWorld, type SimWorld } from "../world.js";
import type { ExpectedExecution, PipelineScenario } from "./scenario.js";
import { sendSourceEvent, subscribeTriggerRules } from "./trigger-routes.js";
import { gitRevisions, type PipelineWorld, pipelineWorld } from "./world-setup.js";

/**
 * `stepdeploy pipeline simulate`: the compiled state machine of a pipeline on the local engine,
 * against the simulated account. Every pipeline Lambda is the real handler (registry on dynalite,
 * events on the account's EventBridge, artifacts on s3rver); builds run their buildspec in the
 * account's CodeBuild; a CodeDeploy action starts the real deploy-lambda workflow
 * (`states:startExecution.sync:2`); approvals, transitions and retries are the operator's commands
 * (the services the CLI calls), made at the scenario's times. Starts and operator commands are the
 * steps; after each, when the world has settled, the report records every execution's stages and
 * actions and the events the step caused.
 */
export interface ActionView {
  status: string;
  summary?: string;
  errorCode?: string;
}

export interface ExecutionView {
  /** 1-based, in start order (rollback executions included). */
  number: number;
  pipelineExecutionId: string;
  status: string;
  executionType: string;
  trigger: string;
  /** The revisions pinned at the start, by source action. */
  sourceRevisions: Record<string, Record<string, string>>;
  /** The actions' output variables so far, by namespace. */
  namespaces: Record<string, Record<string, string>>;
  stages: Record<string, { status: string; attempt: number; actions: Record<string, ActionView> }>;
}

export interface EventLine {
  atSeconds: number;
  /** `pipeline`, `stage` or `action`. */
  kind: string;
  execution: number;
  stage?: string;
  action?: string;
  state: string;
  /** The event as put on the bus (source, detail-type, detail). */
  raw: { source: string; detailType: string; detail: Record<string, unknown> };
}

export interface StepReport {
  atSeconds: number;
  did: string;
  /** Every execution once the world settled after this step (before the next one). */
  executions: ExecutionView[];
  /** The events put between this step and the next. */
  events: EventLine[];
  /** The simulated CloudFormation stacks once the world settled after this step. */
  stacks: StackLine[];
  /** The simulated Elastic Beanstalk environments once the world settled after this step. */
  environments: EnvironmentLine[];
  /** The simulated ECS services once the world settled after this step (as the report's `ecsServices`). */
  ecsServices: PipelineRunReport["ecsServices"];
}

/** An environment of the simulated Elastic Beanstalk: status, health and the version it runs. */
export interface EnvironmentLine {
  environment: string;
  status: string;
  health: string;
  versionLabel?: string;
}

/** A stack of the simulated CloudFormation: its status (and reason) and outputs. */
export interface StackLine {
  stack: string;
  status: string;
  reason?: string;
  outputs: Record<string, string>;
}

export interface PipelineRunReport {
  scenario: string;
  pipeline: string;
  stateMachine: string;
  steps: StepReport[];
  executions: ExecutionView[];
  events: EventLine[];
  builds: { id: string; status: string; failure?: string; wallMs?: number; exported: Record<string, string> }[];
  deployments: { name: string; status: string; error?: string }[];
  /** The simulated ECS services at the end: task definition, its images, the deployments' rollout states. */
  ecsServices: { service: string; taskDefinition: string; images: Record<string, string>; deployments: string[] }[];
  /** The simulated CloudFormation stacks at the end (deleted ones included, DELETE_COMPLETE). */
  stacks: StackLine[];
  /** The simulated Elastic Beanstalk environments at the end. */
  environments: EnvironmentLine[];
  stats: { stateTransitions: number; historyEvents: number; lambdaInvocations: number; estimatedCostUsd: number; simulatedSeconds: number; wallMs: number };
  expectationFailures: string[];
}

const EVENT_KINDS: Record<string, string> = {
  "CodePipeline Pipeline Execution State Change": "pipeline",
  "CodePipeline Stage Execution State Change": "stage",
  "CodePipeline Action Execution State Change": "action",
};

type Step = { atSeconds: number; order: number; did: string; run: () => Promise<void> };

export async function simulatePipeline(scenario: PipelineScenario, opts: { root: string; onLine?: (text: string) => void }): Promise<PipelineRunReport> {
  const pipeline = scenario.pipeline;
  const stageName = "local";
  const gitFetchProject = gitFetchProjectName({ service: "stepdeploy", stage: stageName });
  const w: PipelineWorld = pipelineWorld(scenario.world, pipeline, opts.root, gitFetchProject);
  const world = await openSimWorld(w.setup, { timeline: w.timeline, s3Buckets: w.buckets, root: opts.root });
  // The scenario's groups replace the stack's (config/groups.local.yml); without any, the stack's stay.
  const savedGroups = process.env.DEPLOYMENT_GROUPS;
  const savedTriggers = process.env.PIPELINE_TRIGGERS;
  if (scenario.world["groups"] !== undefined) process.env.DEPLOYMENT_GROUPS = w.groupsJson;
  const wallStart = performance.now();
  try {
    return await world.within(() => run(scenario, world, w, { root: opts.root, line: opts.onLine ?? (() => undefined), wallStart }));
  } finally {
    if (savedGroups === undefined) delete process.env.DEPLOYMENT_GROUPS;
    else process.env.DEPLOYMENT_GROUPS = savedGroups;
    if (savedTriggers === undefined) delete process.env.PIPELINE_TRIGGERS;
    else process.env.PIPELINE_TRIGGERS = savedTriggers;
    await world.close();
  }
}

async function run(scenario: PipelineScenario, world: SimWorld, w: PipelineWorld, o: { root: string; line: (t: string) => void; wallStart: number }): Promise<PipelineRunReport> {
  const { root, line, wallStart } = o;
  const { account, runtime, clock } = world;
  const pipeline = scenario.pipeline;
  const stack = runtime.stack;
  const name = stateMachineName(stack.service, stack.stage, pipeline.name);
  const arn = `arn:aws:states:${stack.region}:${stack.accountId}:stateMachine:${name}`;
  runtime.addMachine({ logicalId: `Pipeline${pipeline.name}StateMachine`, name, arn, machine: `pipeline-${pipeline.name}` }, synthesize(pipeline).definition as Record<string, unknown>);
  account.registerStateMachine({ name, arn });
  // The stack's trigger rules for this pipeline, as if pipelines/ held it: source events start it only through them.
  const triggers = pipelineTriggers(pipeline, name);
  const unsubscribeTriggers = subscribeTriggerRules(account, runtime, triggers);
  const s3 = world.s3;
  if (!s3) throw new Error("the pipeline world has no S3");
  // CloudFormation reads a TemplateURL (a template over 51,200 bytes) from the same S3.
  cloudFormationWorldOf(account)?.attachObjectReader((bucket, key) => s3.readObjectSync(bucket, key));
  const codebuild = account.services.get("codebuild")?.world as CodeBuildWorld;
  codebuild.attachWorkspace({
    getObject: async (bucket, key) => {
      const out = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body?.transformToByteArray() ?? new Uint8Array();
    },
    putObject: async (bucket, key, body) => {
      await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    checkout: async (_type, location, version) => {
      const repo = (location.split("/").at(-1) ?? "").replace(/\.git$/, ""); // CodeCommit: the repository name; GitHub: https://github.com/<owner>/<repo>.git
      return w.repositories.get(repo)?.find((b) => b.commitId === version || b.branch === version)?.dir;
    },
  });
  for (const u of w.uploads) {
    await s3.client.send(new PutObjectCommand({ Bucket: u.bucket, Key: u.key, Body: await buildBundle(u.dir, "zip") }));
    line(`uploaded s3://${u.bucket}/${u.key}`);
  }

  const deps = realDeps();
  const operator: PipelineDeps = { pipelines: deps.pipelines, tasks: deps.stepFunctions, pipelineEvents: deps.pipelineEvents, clock: deps.clock, config: deps.config.pipeline };
  const ids: string[] = [];
  /** Pipeline execution ids in start order: a retry continues its execution, a rollback is a new one. */
  const idOf = (input: string | undefined, execName: string) => {
    const i = JSON.parse(input ?? "{}") as { pipelineExecutionId?: string; resume?: { pipelineExecutionId: string } };
    return i.resume?.pipelineExecutionId ?? i.pipelineExecutionId ?? execName;
  };
  const ours = () => account.executions.filter((e) => e.stateMachineArn === arn);
  const refreshIds = () => {
    for (const e of ours()) {
      const id = idOf(e.input, e.name);
      if (!ids.includes(id)) ids.push(id);
    }
  };
  const number = (id: string) => {
    refreshIds();
    return ids.indexOf(id) + 1;
  };

  const events: EventLine[] = [];
  const unsubscribe = account.subscribe({
    name: "pipeline-simulate-progress",
    eventBusName: stack.refs.get("StepDeployEventBus") ?? "default",
    pattern: { source: ["stepdeploy"], "detail-type": Object.keys(EVENT_KINDS) } as never,
    target: (ev) => {
      const d = ev.detail as Record<string, string>;
      const e: EventLine = {
        atSeconds: clock.elapsedSeconds(),
        kind: EVENT_KINDS[ev["detail-type"]] ?? ev["detail-type"],
        execution: number(d["execution-id"] ?? ""),
        ...(d["stage"] && { stage: d["stage"] }),
        ...(d["action"] && { action: d["action"] }),
        state: d["state"] ?? "",
        raw: { source: ev.source, detailType: ev["detail-type"], detail: ev.detail },
      };
      events.push(e);
      const where = [e.stage, e.action].filter(Boolean).join(".");
      line(`${fmt(e.atSeconds)}  #${e.execution} ${e.kind.padEnd(8)} ${where ? `${where} ` : ""}${e.state}`);
    },
  });

  const snapshot = async (): Promise<ExecutionView[]> => {
    refreshIds();
    const out: ExecutionView[] = [];
    for (const [i, id] of ids.entries()) {
      const e = await deps.pipelines.getExecution(pipeline.name, id);
      if (e) out.push(view(e, i + 1));
    }
    return out;
  };

  // The steps: starts and operator commands at their times, in the order written.
  const steps: Step[] = [];
  scenario.starts.forEach((s, i) => {
    steps.push({
      atSeconds: s.atSeconds,
      order: i,
      did: s.githubPush
        ? `GitHub push ${i + 1} through the webhook's filters`
        : s.ecrPush
          ? `ECR push ${i + 1} through the trigger rules`
          : s.codecommitPush
            ? `CodeCommit change ${i + 1} through the trigger rules`
            : s.via === "trigger"
              ? `S3 upload ${i + 1} through the trigger rules`
              : `start execution ${i + 1}${s.trigger ? ` (${s.trigger})` : ""}`,
      run: async () => {
        let uploaded: { eTag?: string; versionId?: string; size?: number } = {};
        if (s.upload) {
          const body = await buildBundle(path.resolve(root, s.upload.files), "zip");
          const put = await s3.client.send(new PutObjectCommand({ Bucket: s.upload.bucket, Key: s.upload.key, Body: body }));
          uploaded = { size: body.length, ...(put.ETag && { eTag: put.ETag.replace(/"/g, "") }), ...(put.VersionId && { versionId: put.VersionId }) };
          line(`${fmt(clock.elapsedSeconds())}  uploaded s3://${s.upload.bucket}/${s.upload.key} (${s.upload.files})`);
        }
        if (s.ecrPush || s.codecommitPush || s.via === "trigger") {
          // Only the service's event: the trigger rules and the trigger Lambda decide what starts (the account runs them).
          const sent = sendSourceEvent(account, w, root, s, uploaded);
          line(`${fmt(clock.elapsedSeconds())}  ${sent.what}: ${sent.rules.length ? `rule ${sent.rules.join(", ")} -> pipelineTrigger` : "no trigger rule matches, starts nothing"}`);
          return;
        }
        if (s.githubPush) {
          // The webhook's own matching (a function URL, not EventBridge): it may start nothing.
          const routed = githubStarts(s, triggers, w, clock.elapsedSeconds());
          line(`${fmt(clock.elapsedSeconds())}  ${routed.what}: ${routed.starts.length ? `starts ${routed.starts.map((x) => x.executionName).join(", ")}` : `starts nothing (${routed.skipped.join("; ") || "no trigger matches"})`}`);
          for (const st of routed.starts) {
            ids.push(st.executionName);
            await startExecution(arn, st.executionName, st.input);
          }
          return;
        }
        const id = account.ids.uuid();
        const input = { pipelineExecutionId: id, trigger: { type: s.trigger ?? "StartPipelineExecution", detail: `scenario ${scenario.name}` }, ...(s.variables && { variables: s.variables }), sourceRevisions: gitRevisions(pipeline, w) };
        ids.push(id);
        await startExecution(arn, id, input);
      },
    });
  });
  scenario.timeline.forEach((t, i) => {
    const order = scenario.starts.length + i;
    if ("approve" in t || "reject" in t) {
      const a = "approve" in t ? t.approve : t.reject;
      const status = "approve" in t ? ("Approved" as const) : ("Rejected" as const);
      steps.push({ atSeconds: t.atSeconds, order, did: `${status === "Approved" ? "approve" : "reject"} ${a.stage}.${a.action}`, run: async () => void (await answerApproval(operator, { pipeline: pipeline.name, stage: a.stage, action: a.action, status, by: "scenario", ...(a.summary && { summary: a.summary }) })) });
    } else if ("disableTransition" in t) {
      steps.push({ atSeconds: t.atSeconds, order, did: `disable the transition into ${t.disableTransition.stage}`, run: async () => void (await setTransition(operator, pipeline.name, t.disableTransition.stage, pipeline.executionMode, { enabled: false, reason: t.disableTransition.reason })) });
    } else if ("enableTransition" in t) {
      steps.push({ atSeconds: t.atSeconds, order, did: `enable the transition into ${t.enableTransition.stage}`, run: async () => void (await setTransition(operator, pipeline.name, t.enableTransition.stage, pipeline.executionMode, { enabled: true })) });
    } else if ("retry" in t) {
      const r = t.retry;
      steps.push({
        atSeconds: t.atSeconds,
        order,
        did: `retry ${r.stage} of execution ${r.execution} (${r.mode ?? "FAILED_ACTIONS"})`,
        run: async () => {
          const id = ids[r.execution - 1] ?? "";
          const attempt = ((await deps.pipelines.getExecution(pipeline.name, id))?.stages[r.stage]?.attempt ?? 1) + 1;
          await startExecution(arn, `${id.slice(0, 60)}-retry-${r.stage.slice(0, 8)}-${attempt}`, { resume: { pipelineExecutionId: id, stage: r.stage, retryMode: r.mode ?? "FAILED_ACTIONS" } });
        },
      });
    }
  });
  steps.sort((a, b) => a.atSeconds - b.atSeconds || a.order - b.order);

  const reports: StepReport[] = [];
  const errors: string[] = [];
  let seen = 0;
  /** What the previous step led to: taken when the next step is due (everything waits then) or at the end. */
  const close = async () => {
    const last = reports.at(-1);
    if (!last) return;
    last.executions = await snapshot();
    last.events = events.slice(seen);
    last.stacks = stacksOf(cloudFormationWorldOf(account));
    last.environments = environmentsOf(elasticBeanstalkWorldOf(account));
    last.ecsServices = ecsServicesOf(ecsWorldOf(account));
    seen = events.length;
  };
  // A due step holds the clock from the instant it is due until its command is done, so that no
  // waiting execution moves time past it meanwhile (the account runs the command asynchronously).
  const holds = new Map<number, () => void>();
  const hold = () => {
    steps.forEach((s, i) => {
      if (!holds.has(i) && s.atSeconds <= clock.elapsedSeconds()) holds.set(i, clock.busy());
    });
  };
  clock.onAdvance(hold);
  const runStep = async (s: Step, i: number) => {
    await close();
    line(`${fmt(clock.elapsedSeconds())}  -- ${s.did}`);
    reports.push({ atSeconds: clock.elapsedSeconds(), did: s.did, executions: [], events: [], stacks: [], environments: [], ecsServices: [] });
    try {
      await s.run();
    } catch (e) {
      errors.push(`step ${i + 1} (${s.did}) at ${s.atSeconds} s: ${(e as Error).name}: ${(e as Error).message}`);
      line(`${fmt(clock.elapsedSeconds())}  !! ${s.did}: ${(e as Error).message}`);
    }
  };
  steps.forEach((s, i) => {
    account.onAction(`pipeline-step-${i}`, async () => {
      try {
        await runStep(s, i);
      } finally {
        holds.get(i)?.();
      }
    });
  });
  hold();
  account.applyTimeline(steps.map((s, i) => ({ atSeconds: s.atSeconds, action: `pipeline-step-${i}` })));

  // Drive time: running executions move it themselves while they wait; when none runs, jump to the next step.
  const finished = new Map<string, ExecutionReport>();
  for (let guard = 0; guard < 10_000; guard++) {
    await account.settled();
    const running = ours().filter((e) => !finished.has(e.executionArn));
    if (running.length > 0) {
      const watch = stallWatch(world, () => events.length);
      const r = await Promise.race([...running.map((e) => world.wired.finished(e.executionArn).then((rep) => [e.executionArn, rep] as const)), watch.stalled]);
      watch.cancel();
      if (r === "stalled") {
        // Nothing can move any more (a transition never enabled, say): stop what waits, as an operator would.
        for (const e of running) {
          errors.push(`execution ${number(idOf(e.input, e.name))} waits with nothing left in the scenario to move it; stopped`);
          await stopExecution(e.executionArn, "Simulate.Stalled", "nothing left in the scenario moves this execution");
          // What the stack's janitor does on the ABORTED status event (its rule names only the stack's own pipelines).
          await abandonExecution(operator, pipeline.name, pipeline.stages.map((st) => st.name), pipeline.executionMode, idOf(e.input, e.name), "Stopped");
        }
        continue;
      }
      finished.set(r[0], r[1]);
      continue;
    }
    const next = account.pendingTimeline().reduce((m, t) => Math.min(m, t.atSeconds), Number.POSITIVE_INFINITY);
    if (next === Number.POSITIVE_INFINITY) break;
    clock.advance(Math.max(0, next - clock.elapsedSeconds()));
  }
  await account.settled();
  await close();
  unsubscribe();
  unsubscribeTriggers();

  const deployReports: ExecutionReport[] = [];
  for (const e of account.executions.filter((x) => x.stateMachineName.endsWith("-deploy-lambda"))) deployReports.push(await world.wired.finished(e.executionArn));
  const all = [...finished.values(), ...deployReports];
  const sum = (k: "stateTransitions" | "historyEvents" | "lambdaInvocations" | "estimatedCostUsd") => all.reduce((n, r) => n + r.stats[k], 0);
  const executions = await snapshot();
  const report: PipelineRunReport = {
    scenario: scenario.name,
    pipeline: pipeline.name,
    stateMachine: name,
    steps: reports,
    executions,
    events,
    builds: codebuild.all.map((b) => ({ id: b.id, status: b.buildStatus, ...(b.failure && { failure: b.failure }), ...(b.wallMs !== undefined && { wallMs: b.wallMs }), exported: Object.fromEntries(b.exportedEnvironmentVariables.map((v) => [v.name, v.value])) })),
    deployments: deployReports.map((r) => ({ name: r.executionName, status: r.status, ...(r.error && { error: r.error }) })),
    ecsServices: ecsServicesOf(ecsWorldOf(account)),
    stacks: stacksOf(cloudFormationWorldOf(account)),
    environments: environmentsOf(elasticBeanstalkWorldOf(account)),
    stats: {
      stateTransitions: sum("stateTransitions"),
      historyEvents: sum("historyEvents"),
      lambdaInvocations: sum("lambdaInvocations"),
      estimatedCostUsd: Number(sum("estimatedCostUsd").toFixed(6)),
      simulatedSeconds: clock.elapsedSeconds(),
      wallMs: Math.round(performance.now() - wallStart),
    },
    expectationFailures: [...errors, ...checkExpectations(scenario, executions, reports)],
  };
  return report;
}

/**
 * Resolves "stalled" once nothing can move any more: no execution works, nothing is scheduled in the
 * world or the scenario, and neither the clock nor the events have moved for a second of wall time
 * (a build in progress counts as working, so a slow one is never taken for a stall).
 */
function stallWatch(world: SimWorld, eventCount: () => number): { stalled: Promise<"stalled">; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  let quiet = 0;
  const stalled = new Promise<"stalled">((resolve) => {
    const check = () => {
      const idle = world.clock.workingCount === 0 && world.account.nextEventAt() === undefined && world.account.pendingTimeline().length === 0;
      const now = `${world.clock.elapsedSeconds()}/${eventCount()}`;
      quiet = idle && now === last ? quiet + 1 : 0;
      last = now;
      if (quiet >= 10) resolve("stalled");
      else timer = setTimeout(check, 100);
    };
    timer = setTimeout(check, 100);
  });
  return { stalled, cancel: () => clearTimeout(timer) };
}

function view(e: PipelineExecution, number: number): ExecutionView {
  return {
    number,
    pipelineExecutionId: e.executionId,
    status: e.status,
    executionType: e.executionType,
    trigger: e.trigger.type,
    sourceRevisions: e.sourceRevisions,
    namespaces: e.namespaces,
    stages: Object.fromEntries(
      Object.entries(e.stages).map(([s, st]) => [
        s,
        { status: st.status, attempt: st.attempt, actions: Object.fromEntries(Object.entries(st.actions).map(([a, ax]) => [a, { status: ax.status, ...(ax.summary && { summary: ax.summary }), ...(ax.errorCode && { errorCode: ax.errorCode }) }])) },
      ]),
    ),
  };
}

function fmt(seconds: number): string {
  return `${Math.round(seconds)} s`.padStart(8);
}

/** Where an execution differs from what is expected of it (`at` says which execution and when). */
export function compareExecution(at: string, want: ExpectedExecution, got: ExecutionView | undefined): string[] {
  if (!got) return [`${at}: expected ${want.status}, but there is no such execution`];
  const out: string[] = [];
  if (got.status !== want.status) out.push(`${at}: status ${got.status}, expected ${want.status}`);
  if (want.trigger !== undefined && got.trigger !== want.trigger) out.push(`${at}: trigger ${got.trigger}, expected ${want.trigger}`);
  for (const [field, wanted] of [["sourceRevisions", want.sourceRevisions], ["namespaces", want.namespaces]] as const) {
    for (const [owner, values] of Object.entries(wanted ?? {})) {
      for (const [k, v] of Object.entries(values)) {
        const actual = got[field][owner]?.[k];
        if (actual === undefined ? true : v !== "<any>" && actual !== v) out.push(`${at}: ${field}.${owner}.${k} ${actual ?? "(none)"}, expected ${v}`);
      }
    }
  }
  for (const [s, st] of Object.entries(want.stages ?? {})) {
    const actual = got.stages[s]?.status ?? "(not entered)";
    if (actual !== st) out.push(`${at}: stage ${s} ${actual}, expected ${st}`);
  }
  for (const [key, st] of Object.entries(want.actions ?? {})) {
    const dot = key.indexOf(".");
    const actual = got.stages[key.slice(0, dot)]?.actions[key.slice(dot + 1)]?.status ?? "(not run)";
    if (actual !== st) out.push(`${at}: action ${key} ${actual}, expected ${st}`);
  }
  return out;
}

export function checkExpectations(scenario: PipelineScenario, executions: ExecutionView[], steps: StepReport[]): string[] {
  const out: string[] = [];
  const want = scenario.expect.executions;
  if (executions.length !== want.length) out.push(`executions: ${executions.length}, expected ${want.length}`);
  for (const [i, x] of want.entries()) out.push(...compareExecution(`execution ${i + 1}`, x, executions[i]));
  for (const s of scenario.expect.steps ?? []) {
    const step = steps[s.after - 1];
    if (step && step.executions.length !== s.executions.length) out.push(`after step ${s.after} (${step.did}): ${step.executions.length} execution(s), expected ${s.executions.length}`);
    for (const [i, x] of s.executions.entries()) out.push(...compareExecution(`after step ${s.after} (${step?.did ?? "?"}), execution ${i + 1}`, x, step?.executions[i]));
  }
  return out;
}

function ecsServicesOf(ecs: EcsWorld | undefined): PipelineRunReport["ecsServices"] {
  if (!ecs) return [];
  return [...ecs.services.values()].flatMap((s) => {
    const live = ecs.rollingDeployments(s); // first: a due circuit breaker rollback changes the PRIMARY
    const primary = s.deployments.at(-1);
    if (!primary) return [];
    const images = Object.fromEntries(((primary.taskDefinition.body["containerDefinitions"] ?? []) as { name: string; image: string }[]).map((c) => [c.name, c.image]));
    const deployments = live.map((d) => `${d.view.status} ${d.deployment.taskDefinition.family}:${d.deployment.taskDefinition.revision} ${d.view.rolloutState}${d.deployment.rollbackOf ? ` (rollback of ${d.deployment.rollbackOf.failed})` : ""}`);
    return [{ service: `${s.cluster.name}/${s.name}`, taskDefinition: `${primary.taskDefinition.family}:${primary.taskDefinition.revision}`, images, deployments }];
  });
}

function stacksOf(cfn: CloudFormationWorld | undefined): StackLine[] {
  return (cfn?.stacks ?? []).map((s) => {
    const { status, reason } = cfn?.status(s) ?? { status: "" };
    return { stack: s.name, status, ...(reason && { reason }), outputs: Object.fromEntries((cfn?.current(s)?.outputs ?? []).map((o) => [o.key, o.value])) };
  });
}

function environmentsOf(eb: ElasticBeanstalkWorld | undefined): EnvironmentLine[] {
  return [...(eb?.environments.values() ?? [])].map((e) => {
    const s = eb?.state(e);
    return { environment: e.name, status: s?.status ?? "", health: s?.health ?? "", ...(s?.versionLabel && { versionLabel: s.versionLabel }) };
  });
}

/**
 * A GitHub push routed as the stack routes it: through `readGitHubEvent` and `webhookStarts` (the
 * webhook's V2 filters). The push payload is GitHub's shape, its `after` the branch's commit in the world.
 */
function githubStarts(s: PipelineScenario["starts"][number], triggers: PipelineTrigger[], w: PipelineWorld, atSeconds: number): { what: string; starts: TriggeredStart[]; skipped: string[] } {
  const time = new Date(Date.UTC(2026, 0, 1) + atSeconds * 1000).toISOString();
  const g = s.githubPush as NonNullable<typeof s.githubPush>;
  const head = g.branch ? w.repositories.get(g.repository.split("/").at(-1) ?? "")?.find((b) => b.branch === g.branch) : undefined;
  const commit = head?.commitId ?? shortSha(`${g.repository}/${g.tag ?? g.branch}`);
  const payload = {
    ref: g.branch ? `refs/heads/${g.branch}` : `refs/tags/${g.tag}`,
    before: "0".repeat(40),
    after: commit,
    deleted: false,
    repository: { full_name: g.repository },
    head_commit: { id: commit, message: head?.message ?? "scenario push", timestamp: time },
    commits: [{ id: commit, added: [], modified: g.files ?? [], removed: [] }],
  };
  const what = `GitHub push to ${g.repository} ${payload.ref} (${(g.files ?? []).join(", ") || "no files"})`;
  const read = readGitHubEvent("push", payload);
  if (!read.event) return { what, starts: [], skipped: [read.ignored ?? "ignored"] };
  const outcome = webhookStarts(read.event, triggers);
  return { what, starts: outcome.starts, skipped: outcome.skipped.map((x) => `${x.pipeline}: ${x.reason}`) };
}

const shortSha = (text: string) => createHash("sha1").update(text).digest("hex");
