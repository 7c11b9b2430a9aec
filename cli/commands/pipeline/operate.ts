import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { stateMachineName } from "../../../functions/domain/pipeline/stack/stack.js";
import type { Pipeline } from "../../../functions/domain/pipeline/types.js";
import type { PipelineDeps } from "../../../functions/services/pipeline/context.js";
import { answerApproval, setTransition } from "../../../functions/services/pipeline/operators.js";
import { pipelineState } from "../../../functions/services/pipeline/state.js";
import type { StepFunctionsPort } from "../../../functions/ports/step-functions.js";
import { type CommandIO, type CommandModule, ExitCode } from "../../io.js";
import { issueLine, readDefinitionFile } from "./definition.js";

/**
 * The operator's pipeline commands against the deployed stack (CodePipeline's StartPipelineExecution,
 * GetPipelineState, PutApprovalResult, RetryStageExecution, Disable/EnableStageTransition,
 * ListPipelineExecutions). `<pipeline>` is a name or a definition file; `state` and the transitions
 * need the file (the registry keeps executions, not the pipeline's structure). `--stage` is the
 * pipeline's stage; the stack's stage is `--stack-stage` or STEPDEPLOY_STAGE (default dev).
 */
export type OperatorDeps = PipelineDeps & { stepFunctions: Pick<StepFunctionsPort, "startExecution"> };

const OPTIONS = {
  stage: { type: "string" },
  action: { type: "string" },
  summary: { type: "string" },
  reason: { type: "string" },
  execution: { type: "string" },
  variable: { type: "string", multiple: true },
  "all-actions": { type: "boolean" },
  max: { type: "string" },
  "stack-stage": { type: "string" },
  endpoint: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const USAGE: Record<string, [string, string]> = {
  start: ["start an execution (StartPipelineExecution)", "start <pipeline> [--variable name=value ...] [--execution <id>]"],
  state: ["each stage's latest execution, its actions, the transitions (GetPipelineState)", "state <definition file>"],
  approve: ["approve the waiting manual approval (PutApprovalResult)", "approve <pipeline> --stage <S> --action <A> [--summary <text>] [--execution <id>]"],
  reject: ["reject the waiting manual approval (PutApprovalResult)", "reject <pipeline> --stage <S> --action <A> [--summary <text>] [--execution <id>]"],
  retry: ["retry a failed stage of an execution (RetryStageExecution)", "retry <pipeline> --stage <S> [--all-actions] [--execution <id>]"],
  "disable-transition": ["hold executions at a stage's entrance", "disable-transition <definition file> --stage <S> --reason <text>"],
  "enable-transition": ["let the held executions in", "enable-transition <definition file> --stage <S>"],
  history: ["recent executions, newest first (ListPipelineExecutions)", "history <pipeline> [--max <n>]"],
};

class Usage extends Error {}

async function target(arg: string | undefined, needFile: boolean): Promise<{ name: string; pipeline?: Pipeline }> {
  if (!arg) throw new Usage("name the pipeline (or its definition file)");
  if (!existsSync(arg)) {
    if (needFile) throw new Usage(`${arg}: no such file; this command needs the pipeline's definition file`);
    return { name: arg };
  }
  const read = await readDefinitionFile(arg);
  if (!read.pipeline) throw new Usage(`${arg}: invalid pipeline definition: ${read.errors.map(issueLine).join("; ")}`);
  return { name: read.pipeline.name, pipeline: read.pipeline };
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new Usage(`--${flag} is required`);
  return value;
}

async function run(name: string, argv: string[], io: CommandIO, deps: OperatorDeps): Promise<unknown> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const needsFile = name === "state" || name.endsWith("-transition");
  const t = await target(positionals[0], needsFile);
  const stackStage = values["stack-stage"] ?? io.env["STEPDEPLOY_STAGE"] ?? "dev";
  const arn = (pipeline: string) => `arn:aws:states:${deps.config.region}:${deps.config.account}:stateMachine:${stateMachineName("stepdeploy", stackStage, pipeline)}`;
  switch (name) {
    case "start": {
      const variables = Object.fromEntries((values.variable ?? []).map((v) => {
        const eq = v.indexOf("=");
        if (eq < 1) throw new Usage(`--variable ${v}: expected name=value`);
        return [v.slice(0, eq), v.slice(eq + 1)];
      }));
      const id = values.execution ?? randomUUID();
      const { executionArn } = await deps.stepFunctions.startExecution(arn(t.name), id, { pipelineExecutionId: id, trigger: { type: "StartPipelineExecution", detail: io.env["USER"] ?? "stepdeploy CLI" }, variables });
      return { pipeline: t.name, pipelineExecutionId: id, executionArn };
    }
    case "state":
      return pipelineState(deps, t.pipeline as Pipeline);
    case "approve":
    case "reject": {
      const by = io.env["USER"] ?? "stepdeploy CLI";
      return answerApproval(deps, { pipeline: t.name, stage: need(values.stage, "stage"), action: need(values.action, "action"), status: name === "approve" ? "Approved" : "Rejected", by, ...(values.summary && { summary: values.summary }), ...(values.execution && { executionId: values.execution }) });
    }
    case "retry": {
      const stage = need(values.stage, "stage");
      const executions = await deps.pipelines.listExecutions(t.name, 50);
      const failed = values.execution ? executions.find((e) => e.executionId === values.execution) : executions.find((e) => e.stages[stage]?.status === "Failed");
      if (!failed) throw new Usage(`no execution of ${t.name}${values.execution ? ` named ${values.execution}` : ` has a failed stage ${stage}`}`);
      const attempt = (failed.stages[stage]?.attempt ?? 1) + 1;
      const retryMode = values["all-actions"] ? "ALL_ACTIONS" : "FAILED_ACTIONS";
      const { executionArn } = await deps.stepFunctions.startExecution(arn(t.name), `${failed.executionId.slice(0, 60)}-retry-${stage.slice(0, 8)}-${attempt}`, { resume: { pipelineExecutionId: failed.executionId, stage, retryMode } });
      return { pipeline: t.name, pipelineExecutionId: failed.executionId, stage, retryMode, executionArn };
    }
    case "disable-transition":
    case "enable-transition": {
      const p = t.pipeline as Pipeline;
      const stage = need(values.stage, "stage");
      if (!p.stages.some((s) => s.name === stage)) throw new Usage(`${p.name} has no stage '${stage}'`);
      const change = name === "enable-transition" ? { enabled: true as const } : { enabled: false as const, reason: need(values.reason, "reason") };
      return { pipeline: p.name, stage, ...change, ...(await setTransition(deps, p.name, stage, p.executionMode, change)) };
    }
    default: {
      const max = Number(values.max ?? 20);
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new Usage("--max must be a whole number from 1 to 100");
      const list = await deps.pipelines.listExecutions(t.name, max);
      return list.map((e) => ({ pipelineExecutionId: e.executionId, status: e.status, executionType: e.executionType, trigger: e.trigger, startTime: new Date(e.startedAtMs).toISOString(), ...(e.endedAtMs && { lastUpdateTime: new Date(e.endedAtMs).toISOString() }) }));
    }
  }
}

function render(name: string, result: unknown): string {
  if (name === "history") return (result as { pipelineExecutionId: string; status: string; startTime: string; trigger: { type: string } }[]).map((e) => `${e.startTime}  ${e.status.padEnd(10)} ${e.pipelineExecutionId}  (${e.trigger.type})`).join("\n") || "no executions";
  if (name === "state") {
    const view = result as Awaited<ReturnType<typeof pipelineState>>;
    return view.stageStates.map((s) => [`${s.inboundTransitionState.enabled ? "" : `[transition disabled: ${s.inboundTransitionState.disabledReason}] `}${s.stageName}: ${s.latestExecution ? `${s.latestExecution.status} (${s.latestExecution.pipelineExecutionId})` : "never run"}${s.waiting.length ? `, waiting: ${s.waiting.join(", ")}` : ""}`, ...s.actionStates.map((a) => `  ${a.actionName}: ${a.latestExecution?.status ?? "-"}${a.latestExecution?.summary ? ` - ${a.latestExecution.summary}` : ""}`)].join("\n")).join("\n");
  }
  return Object.entries(result as Record<string, unknown>).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join("\n");
}

/** One subcommand as a module; `deps` builds the ports (the real stack's by default, read lazily). */
export function operatorModule(name: string, deps: (io: CommandIO, argv: string[]) => Promise<OperatorDeps> = stackDeps): CommandModule {
  const [summary, usage] = USAGE[name] as [string, string];
  return {
    summary,
    default: async (argv, io) => {
      if (argv.includes("--help") || argv.includes("-h")) {
        io.out(`usage: stepdeploy pipeline ${usage} [--stack-stage <stage>] [--endpoint <url>] [--json]`);
        return ExitCode.Ok;
      }
      try {
        const result = await run(name, argv, io, await deps(io, argv));
        io.out(argv.includes("--json") ? JSON.stringify(result) : render(name, result));
        return ExitCode.Ok;
      } catch (e) {
        const err = e as Error;
        io.err(`stepdeploy pipeline ${name}: ${err.message}${e instanceof Usage || err.name === "TypeError" ? `\nusage: stepdeploy pipeline ${usage}` : ""}`);
        return e instanceof Usage || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? ExitCode.Usage : ExitCode.Failed;
      }
    },
  };
}

/** The deployed stack's ports: the registry table and event bus of `--stack-stage`, Step Functions, through --endpoint when given. */
export async function stackDeps(io: CommandIO, argv: string[]): Promise<OperatorDeps> {
  const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const stage = flag("--stack-stage") ?? io.env["STEPDEPLOY_STAGE"] ?? "dev";
  const endpoint = flag("--endpoint");
  if (endpoint) process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.STEPDEPLOY_TABLE ??= `stepdeploy-${stage}-registry`;
  process.env.EVENT_BUS_NAME ??= `stepdeploy-${stage}`;
  // The state machines' ARNs need the account, as the deployment commands' do (cli/operator/stack-config.ts).
  process.env.STEPDEPLOY_ACCOUNT_ID ??= io.env["AWS_ACCOUNT_ID"] ?? "000000000000";
  const { realDeps } = await import("../../../functions/wiring.js");
  const d = realDeps();
  return { pipelines: d.pipelines, tasks: d.stepFunctions, stepFunctions: d.stepFunctions, pipelineEvents: d.pipelineEvents, clock: d.clock, config: d.config.pipeline };
}
