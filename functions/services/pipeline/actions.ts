import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import { type ArtifactRef, eventArtifact, outputArtifact, storeFor } from "../../domain/pipeline/execution/artifacts.js";
import { exportedVariables } from "../../domain/pipeline/execution/codebuild.js";
import { actionEvent } from "../../domain/pipeline/execution/events.js";
import { gitSourceVariables } from "../../domain/pipeline/execution/git-fetch.js";
import { readInvokeOutcome } from "../../domain/pipeline/execution/jobs.js";
import { providerKind } from "../../domain/pipeline/synth/provider-tasks.js";
import type { Action } from "../../domain/pipeline/types.js";
import { resolveConfiguration } from "../../domain/pipeline/variables.js";
import type { PipelineExecution } from "../../ports/pipeline-registry.js";
import { actionRequest } from "./action-requests.js";
import { eventContext, type PipelineDeps, type Run, withStage } from "./context.js";

/**
 * An action's start and end around its provider task. Start: skip what already succeeded (a
 * FAILED_ACTIONS retry), resolve variables, place the artifacts, record InProgress, emit STARTED,
 * build the request. End: read what the provider returned (exported variables, the function's
 * answer, ...), record the outcome with its variables and artifacts, emit SUCCEEDED or FAILED.
 */
export type DeclaredAction = Omit<Action, "path"> & { stage: string };

function key(a: DeclaredAction): Action {
  return { ...a, path: `${a.stage}.${a.name}` };
}

function plan(deps: PipelineDeps, run: Run, action: DeclaredAction, e: PipelineExecution) {
  const stageAttempt = e.stages[action.stage]?.attempt ?? 1;
  const job = { pipeline: run.pipeline, executionId: run.pipelineExecutionId, stage: action.stage, action: action.name, attempt: stageAttempt };
  const scope = { ...e.namespaces, codepipeline: { PipelineExecutionId: run.pipelineExecutionId }, variables: e.variables };
  const inputs = action.inputArtifacts.map((name) => {
    const ref = e.artifacts[name];
    if (!ref) throw new PipelineError(PipelineErrorNames.ActionFailed, `input artifact ${name} of ${action.stage}.${action.name} was not produced in this execution`);
    return ref;
  });
  const store = storeFor(run, action.region, deps.config.region);
  const outputs = action.outputArtifacts.map((o) => outputArtifact(store, run.pipeline, o.name, { ...job, executionId: run.pipelineExecutionId }));
  const revision = e.sourceRevisions[action.name];
  return { job, stageAttempt, configuration: resolveConfiguration(action.configuration, scope), inputs, outputs, ...(revision && { revision }) };
}

export async function startAction(deps: PipelineDeps, run: Run, action: DeclaredAction): Promise<{ skip: boolean; request: Record<string, unknown> | null }> {
  const e = await deps.pipelines.getExecution(run.pipeline, run.pipelineExecutionId);
  if (!e) throw new PipelineError(PipelineErrorNames.ActionFailed, `execution ${run.pipelineExecutionId} is not in the registry`);
  const previous = e.stages[action.stage]?.actions[action.name];
  if (run.retry?.mode === "FAILED_ACTIONS" && run.retry.stage === action.stage && previous?.status === "Succeeded") return { skip: true, request: null };
  const p = plan(deps, run, action, e);
  const request = actionRequest(deps, key(action), p);
  const now = deps.clock.nowMs();
  await deps.pipelines.updateExecution(run.pipeline, run.pipelineExecutionId, (x) => withStage(x, action.stage, (s) => ({ ...s, actions: { ...s.actions, [action.name]: { status: "InProgress", type: action.actionTypeId, stageAttempt: p.stageAttempt, startedAtMs: now } } })));
  await deps.pipelineEvents.putPipelineEvents([actionEvent(eventContext(deps, run, p.stageAttempt), "STARTED", { stage: action.stage, action: action.name, ...(action.region && { region: action.region }), type: action.actionTypeId, inputArtifacts: p.inputs.map(eventArtifact) })]);
  return { skip: false, request };
}

/** Variables, summary and external id from what the provider task returned; throws when the result says the action failed. */
function readResult(action: DeclaredAction, request: Record<string, unknown>, result: Record<string, unknown>): { variables: Record<string, string>; summary?: string; externalId?: string } {
  switch (providerKind(key(action))) {
    case "codebuild":
    case "codebuild-batch": {
      const build = (result["build"] ?? result["buildBatch"]) as { Id?: string; ExportedEnvironmentVariables?: never } | undefined;
      if (action.actionTypeId.category === "Source") {
        const rev = (request["revision"] ?? {}) as Record<string, string>;
        const revision = { commitId: String(request["sourceVersion"]), branch: rev["BranchName"] ?? action.configuration["BranchName"] ?? action.configuration["Branch"] ?? "", ...(rev["CommitMessage"] !== undefined && { message: rev["CommitMessage"] }), ...(rev["AuthorDate"] !== undefined && { authorDate: rev["AuthorDate"] }) };
        return { variables: gitSourceVariables(key(action), revision), externalId: revision.commitId, ...(revision.message !== undefined && { summary: revision.message }) };
      }
      return { variables: exportedVariables(build), ...(build?.Id && { externalId: build.Id }) };
    }
    case "invoke": {
      const outcome = readInvokeOutcome(result["payload"]);
      if (outcome.status === "Failed") throw new PipelineError(PipelineErrorNames.ActionFailed, outcome.message);
      return { variables: outcome.variables, ...(outcome.summary !== undefined && { summary: outcome.summary }) };
    }
    case "deployment":
      return { variables: { DeploymentId: String(request["name"]) }, externalId: String(request["name"]) };
    case "approval": {
      const answer = (result ?? {}) as { summary?: string; approvedBy?: string };
      return { variables: { ...(answer.approvedBy && { ApprovedBy: answer.approvedBy }), ...(answer.summary && { Summary: answer.summary }) }, ...(answer.summary && { summary: answer.summary }) };
    }
    default: {
      const output = (result["output"] ?? result["state"] ?? {}) as { variables?: Record<string, string>; summary?: string };
      return { variables: output.variables ?? {}, ...(output.summary && { summary: output.summary }) };
    }
  }
}

export async function endAction(deps: PipelineDeps, run: Run, action: DeclaredAction, outcome: { status: "Succeeded"; request: Record<string, unknown>; result: Record<string, unknown> } | { status: "Failed"; error?: { Error?: string; Cause?: string } }): Promise<{ failed: boolean }> {
  const now = deps.clock.nowMs();
  let read: ReturnType<typeof readResult> | undefined;
  let outputs: ArtifactRef[] = [];
  if (outcome.status === "Succeeded") {
    read = readResult(action, outcome.request, outcome.result);
    outputs = ((outcome.request["outputArtifacts"] ?? []) as { name: string; s3location: { bucket: string; key: string } }[]).map((o) => ({ name: o.name, bucket: o.s3location.bucket, key: o.s3location.key }));
  }
  const e = await deps.pipelines.updateExecution(run.pipeline, run.pipelineExecutionId, (x) => {
    const recorded = withStage(x, action.stage, (s) => {
      const previous = s.actions[action.name] ?? { type: action.actionTypeId, stageAttempt: s.attempt, startedAtMs: now };
      const status = outcome.status;
      const detail = status === "Succeeded" ? { ...(read?.summary && { summary: read.summary }), ...(read?.externalId && { externalExecutionId: read.externalId }) } : { errorCode: outcome.error?.Error ?? "JobFailed", summary: (outcome.error?.Cause ?? "").slice(0, 2048) };
      return { ...s, actions: { ...s.actions, [action.name]: { ...previous, status, endedAtMs: now, ...detail } } };
    });
    if (outcome.status !== "Succeeded") return recorded;
    return {
      ...recorded,
      ...(action.namespace && { namespaces: { ...recorded.namespaces, [action.namespace]: read?.variables ?? {} } }),
      artifacts: { ...recorded.artifacts, ...Object.fromEntries(outputs.map((o) => [o.name, o])) },
    };
  });
  const recorded = e.stages[action.stage]?.actions[action.name];
  const result = { ...(recorded?.externalExecutionId && { "external-execution-id": recorded.externalExecutionId }), ...(recorded?.summary && { "external-execution-summary": recorded.summary }), ...(recorded?.errorCode && { "error-code": recorded.errorCode }) };
  await deps.pipelineEvents.putPipelineEvents([
    actionEvent(eventContext(deps, run, e.stages[action.stage]?.attempt), outcome.status === "Succeeded" ? "SUCCEEDED" : "FAILED", { stage: action.stage, action: action.name, ...(action.region && { region: action.region }), type: action.actionTypeId, outputArtifacts: outputs.map(eventArtifact), result }),
  ]);
  return { failed: outcome.status !== "Succeeded" };
}
