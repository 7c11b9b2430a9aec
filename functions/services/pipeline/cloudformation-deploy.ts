import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import type { ArtifactRef } from "../../domain/pipeline/execution/artifacts.js";
import {
  artifactPath,
  CLOUDFORMATION_POLL_SECONDS,
  type CloudFormationMode,
  type CloudFormationStep,
  capabilities,
  changeSetVerdict,
  failureReason,
  planCloudFormation,
  requestToken,
  resolveOverrides,
  resumeOwnOperation,
  templateDelivery,
  type StackOperation,
  stackVerdict,
  templateConfiguration,
} from "../../domain/pipeline/execution/cloudformation.js";
import { unzipFiles, zipFiles } from "../../lib/zip-files.js";
import type { ArtifactStorePort } from "../../ports/artifact-store.js";
import type { CloudFormationPort, StackInput } from "../../ports/cloudformation.js";
import type { DeclaredAction } from "./actions.js";
import type { RunRequest } from "./run-action.js";

/**
 * The CloudFormation deploy action (user guide action-reference-CloudFormation), started by
 * pipelineRunAction and looked at by pipelinePollAction until its stack operation ends:
 * - the plan (`planCloudFormation`) from the ActionMode and the stack's status: CREATE_UPDATE creates
 *   or updates ("No updates are to be performed." succeeds), REPLACE_ON_FAILURE deletes a failed stack
 *   first, DELETE_ONLY deletes (a missing stack succeeds), CHANGE_SET_REPLACE deletes the change set
 *   of that name and creates it again (not executed), CHANGE_SET_EXECUTE executes it;
 * - the template from TemplatePath, parameters from TemplateConfiguration then ParameterOverrides
 *   (with Fn::GetArtifactAtt / Fn::GetParam), Capabilities, RoleArn (the role CloudFormation assumes);
 * - a failed operation fails the action with the first failed resource's reason (DescribeStackEvents,
 *   as CodePipeline builds its message); success records the stack's outputs as the action's
 *   variables and, with OutputFileName, writes them as JSON into the output artifact.
 */
export interface CloudFormationDeployDeps {
  artifacts: ArtifactStorePort;
  cloudformation: CloudFormationPort;
  clock: { nowMs(): number };
  /** The region of TemplateURLs (the pipeline's). */
  config?: { region: string };
}

export interface CloudFormationState {
  kind: "cloudformation";
  mode: CloudFormationMode;
  stackName: string;
  changeSetName?: string;
  /** The steps still to run after the current one (REPLACE_ON_FAILURE: CreateStack after DeleteStack). */
  pending: CloudFormationStep[];
  /** What the poll waits for: a stack operation or the change set's creation, since when. */
  waiting?: { operation: StackOperation | "changeSet"; sinceMs: number };
  input?: StackInput;
  roleArn?: string;
  output?: ArtifactRef;
  outputFileName?: string;
  deadlineMs: number;
  /** The attempt's job id: every stack operation's ClientRequestToken is made from it (requestToken). */
  jobId?: string;
  notes: string[];
  variables: Record<string, string>;
  summary: string;
}

export interface CloudFormationAnswer {
  done: boolean;
  nextPollSeconds: number;
  state: CloudFormationState;
}

const fail = (action: DeclaredAction, message: string) => new PipelineError(PipelineErrorNames.ActionFailed, `${action.stage}.${action.name}: ${message}`);

/** The template and parameters, read from the input artifacts (each unzipped once). */
async function stackInput(deps: CloudFormationDeployDeps, action: DeclaredAction, request: RunRequest, stackName: string): Promise<StackInput> {
  const c = request.configuration;
  const files = new Map<string, Map<string, string>>();
  for (const input of request.inputs) {
    const entries = await unzipFiles((await deps.artifacts.getObject(input)).body);
    files.set(input.name, new Map(entries.map((f) => [f.name, new TextDecoder().decode(f.content)])));
  }
  const read = (value: string, key: string) => {
    const { artifact, file } = artifactPath(value, key);
    const text = files.get(artifact)?.get(file);
    if (text === undefined) throw new Error(`${key}: input artifact ${artifact} has no file ${file}${files.has(artifact) ? ` (it has: ${[...(files.get(artifact)?.keys() ?? [])].join(", ") || "no files"})` : ""}`);
    return text;
  };
  const reader = { location: (name: string) => request.inputs.find((i) => i.name === name), file: (a: string, f: string) => files.get(a)?.get(f) };
  try {
    const templateBody = read(c["TemplatePath"] ?? "", "TemplatePath");
    const config = c["TemplateConfiguration"] ? templateConfiguration(read(c["TemplateConfiguration"], "TemplateConfiguration"), c["TemplateConfiguration"]) : { parameters: {}, tags: {} };
    const parameters = { ...config.parameters, ...resolveOverrides(c["ParameterOverrides"], reader) };
    const { artifact, file } = artifactPath(c["TemplatePath"] ?? "", "TemplatePath");
    const bytes = new TextEncoder().encode(templateBody);
    const delivery = templateDelivery(bytes.length, reader.location(artifact) as ArtifactRef, file, deps.config?.region);
    if (delivery.kind === "too-large") throw new Error(delivery.reason);
    if (delivery.kind === "url") await deps.artifacts.putObject({ bucket: delivery.bucket, key: delivery.key }, bytes, "text/plain");
    const template = delivery.kind === "url" ? { templateUrl: delivery.url } : { templateBody };
    return { stackName, ...template, parameters, capabilities: capabilities(c["Capabilities"]), ...(c["RoleArn"] && { roleArn: c["RoleArn"] }), ...(Object.keys(config.tags).length && { tags: config.tags }) };
  } catch (e) {
    throw fail(action, (e as Error).message);
  }
}

export async function startCloudFormationDeploy(deps: CloudFormationDeployDeps, action: DeclaredAction, request: RunRequest): Promise<CloudFormationAnswer> {
  const c = request.configuration;
  const mode = c["ActionMode"] as CloudFormationMode;
  const stackName = c["StackName"] ?? "";
  const changeSetName = c["ChangeSetName"];
  const stack = await deps.cloudformation.describeStack(stackName);
  const resumed = stack?.status.endsWith("_IN_PROGRESS") ? await ownOperation(deps, mode, stack, request.jobId) : undefined;
  const changeSet = changeSetName && !resumed ? await deps.cloudformation.describeChangeSet(stackName, changeSetName) : undefined;
  const plan = resumed ? ({ ok: true, steps: resumed.pending } as const) : planCloudFormation(mode, stack?.status, changeSet !== undefined);
  if (!plan.ok) throw fail(action, `stack ${stackName}: ${plan.reason}`);
  const needsTemplate = plan.steps.some((s) => s.call === "CreateStack" || s.call === "UpdateStack" || s.call === "CreateChangeSet");
  const state: CloudFormationState = {
    kind: "cloudformation",
    mode,
    stackName,
    ...(changeSetName && { changeSetName }),
    pending: plan.steps,
    ...(request.jobId && { jobId: request.jobId }),
    ...(needsTemplate && { input: await stackInput(deps, action, request, stackName) }),
    ...(c["RoleArn"] && { roleArn: c["RoleArn"] }),
    ...(request.outputs[0] && { output: request.outputs[0] }),
    ...(c["OutputFileName"] && { outputFileName: c["OutputFileName"] }),
    deadlineMs: request.deadlineMs ?? deps.clock.nowMs() + 3 * 86_400_000,
    notes: plan.steps.length === 0 ? [`stack ${stackName} does not exist: nothing to delete`] : [],
    variables: {},
    summary: "",
  };
  if (resumed) return { done: false, nextPollSeconds: CLOUDFORMATION_POLL_SECONDS, state: { ...state, waiting: { operation: resumed.operation, sinceMs: resumed.sinceMs }, notes: [`${resumed.call} ${stackName} (started by an earlier try of this attempt)`] } };
  return next(deps, action, state);
}

/** The stack's operation in progress when this attempt started it (its newest stack event carries the attempt's token). */
async function ownOperation(deps: CloudFormationDeployDeps, mode: CloudFormationMode, stack: { stackId: string; name: string }, jobId: string | undefined) {
  if (!jobId) return undefined;
  const newest = (await deps.cloudformation.stackEvents(stack.stackId)).find((e) => e.resourceType === "AWS::CloudFormation::Stack" && e.logicalResourceId === stack.name);
  const own = resumeOwnOperation(mode, jobId, newest);
  return own && newest ? { ...own, sinceMs: newest.timestamp } : undefined;
}

/** Runs the next planned step, or finishes when none is left. */
async function next(deps: CloudFormationDeployDeps, action: DeclaredAction, state: CloudFormationState): Promise<CloudFormationAnswer> {
  const [step, ...rest] = state.pending;
  if (!step) return finish(deps, state);
  const s = { ...state, pending: rest };
  const cfn = deps.cloudformation;
  const sinceMs = deps.clock.nowMs();
  const input = state.input as StackInput;
  const cs = state.changeSetName ?? "";
  const token = (c: Parameters<typeof requestToken>[1]) => (state.jobId ? requestToken(state.jobId, c) : undefined);
  const tokened = (c: Parameters<typeof requestToken>[1]) => (state.jobId ? { ...input, clientRequestToken: requestToken(state.jobId, c) } : input);
  const wait = (operation: StackOperation | "changeSet", note: string): CloudFormationAnswer => ({ done: false, nextPollSeconds: CLOUDFORMATION_POLL_SECONDS, state: { ...s, waiting: { operation, sinceMs }, notes: [...s.notes, note] } });
  switch (step.call) {
    case "CreateStack":
      await cfn.createStack(tokened("CreateStack"));
      return wait("create", `CreateStack ${state.stackName}`);
    case "UpdateStack": {
      const updated = await cfn.updateStack(tokened("UpdateStack"));
      if (updated.noUpdates) return next(deps, action, { ...s, notes: [...s.notes, `stack ${state.stackName}: no updates are to be performed`] });
      return wait("update", `UpdateStack ${state.stackName}`);
    }
    case "DeleteStack":
      await cfn.deleteStack(state.stackName, state.roleArn, token("DeleteStack"));
      return wait("delete", `DeleteStack ${state.stackName}`);
    case "DeleteChangeSet":
      await cfn.deleteChangeSet(state.stackName, cs);
      return next(deps, action, { ...s, notes: [...s.notes, `DeleteChangeSet ${cs}`] });
    case "CreateChangeSet":
      await cfn.createChangeSet({ ...input, changeSetName: cs, changeSetType: step.changeSetType });
      return wait("changeSet", `CreateChangeSet ${cs} (${step.changeSetType})`);
    case "ExecuteChangeSet": {
      const set = await cfn.describeChangeSet(state.stackName, cs);
      const verdict = changeSetVerdict(set?.status ?? "", set?.statusReason);
      if (verdict.kind === "done" && verdict.noChanges) return next(deps, action, { ...s, notes: [...s.notes, `change set ${cs} has no changes: nothing to execute`] });
      if (verdict.kind !== "done" || set?.executionStatus !== "AVAILABLE") throw fail(action, `change set ${cs} of stack ${state.stackName} cannot be executed: ${set?.status ?? "missing"}/${set?.executionStatus ?? ""}${set?.statusReason ? ` (${set.statusReason})` : ""}`);
      const before = await cfn.describeStack(state.stackName);
      await cfn.executeChangeSet(state.stackName, cs, token("ExecuteChangeSet"));
      return wait(before === undefined || before.status === "REVIEW_IN_PROGRESS" ? "create" : "update", `ExecuteChangeSet ${cs}`);
    }
  }
}

export async function pollCloudFormationDeploy(deps: CloudFormationDeployDeps, action: DeclaredAction, state: CloudFormationState): Promise<CloudFormationAnswer> {
  const waiting = state.waiting;
  if (!waiting) return next(deps, action, state);
  const cfn = deps.cloudformation;
  const now = deps.clock.nowMs();
  if (waiting.operation === "changeSet") {
    const set = await cfn.describeChangeSet(state.stackName, state.changeSetName ?? "");
    const verdict = changeSetVerdict(set?.status ?? "FAILED", set?.statusReason ?? (set ? undefined : "the change set is gone"));
    if (verdict.kind === "failed") throw fail(action, `change set ${state.changeSetName} of stack ${state.stackName} FAILED: ${verdict.reason}`);
    if (verdict.kind === "done") return next(deps, action, { ...state, waiting: undefined, notes: [...state.notes, verdict.noChanges ? `change set ${state.changeSetName}: no changes` : `change set ${state.changeSetName} ready (${set?.changes ?? 0} change(s))`] });
  } else {
    const stack = await cfn.describeStack(state.stackName);
    const verdict = stackVerdict(waiting.operation, stack?.status);
    if (verdict.kind === "failed") {
      const events = stack ? await cfn.stackEvents(stack.stackId) : [];
      throw fail(action, `stack ${state.stackName} is ${verdict.status}: ${failureReason(events, waiting.sinceMs, state.stackName, stack?.statusReason)}`);
    }
    if (verdict.kind === "done") return next(deps, action, { ...state, waiting: undefined, notes: [...state.notes, `stack ${state.stackName} ${stack?.status ?? "deleted"}`] });
  }
  if (now >= state.deadlineMs) throw fail(action, `stack ${state.stackName}: ${waiting.operation} did not finish before the action's timeout`);
  return { done: false, nextPollSeconds: Math.max(1, Math.min(CLOUDFORMATION_POLL_SECONDS, Math.ceil((state.deadlineMs - now) / 1000))), state };
}

/** The stack's outputs as the action's variables and, with OutputFileName, as JSON in the output artifact. */
async function finish(deps: CloudFormationDeployDeps, state: CloudFormationState): Promise<CloudFormationAnswer> {
  const stack = state.mode === "DELETE_ONLY" ? undefined : await deps.cloudformation.describeStack(state.stackName);
  const outputs = stack && stack.status !== "REVIEW_IN_PROGRESS" ? stack.outputs : {};
  if (state.output) {
    const files = state.outputFileName ? [{ name: state.outputFileName, content: new TextEncoder().encode(JSON.stringify(outputs, null, 2)) }] : [];
    await deps.artifacts.putObject(state.output, await zipFiles(files), "application/zip");
  }
  const summary = `${state.notes.join("; ")}${Object.keys(outputs).length ? `; outputs: ${Object.keys(outputs).join(", ")}` : ""}`;
  return { done: true, nextPollSeconds: 0, state: { ...state, input: undefined, variables: outputs, summary } };
}
