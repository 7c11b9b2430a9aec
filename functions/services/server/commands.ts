import { installDocument, parseInstallOutput, phaseSegments, type ServerPhase } from "../../domain/server-install/index.js";
import { MAX_NODES_PER_COMMAND } from "../../ports/run-command.js";
import type { Deps } from "../../wiring.js";
import { type HaltDeps, haltReason, type ServerWatch } from "./halt.js";
import type { BatchResult, DeploymentContext, InstanceOutcome } from "./state.js";

export type CommandsDeps = Pick<Deps, "runCommand" | "log">;
export type PollDeps = CommandsDeps & HaltDeps;

export interface SentCommand {
  commandId: string;
  instanceIds: string[];
}

/** SSM's executionTimeout for one install command: every script's timeout, plus 5 minutes for download and copy. */
export function executionTimeout(deployment: DeploymentContext): number {
  const scripts = deployment.revision.hooks.flatMap((h) => h.scripts).reduce((sum, s) => sum + s.timeoutSeconds, 0);
  return Math.min(172_800, scripts + 300);
}

/** What one segment's commands were sent to, and the batch's instances that already failed an earlier segment or traffic event. */
export interface SentSegment {
  commands: SentCommand[];
  /** Index in installSegments: 0 (the only one without target groups), or 0-2 around BlockTraffic and AllowTraffic. */
  segment: number;
  /** The last segment of the phase: the batch ends with its results. */
  final: boolean;
  /** The traffic event the workflow does once the segment's results are in (`none` after the last one). */
  trafficAfter: "BlockTraffic" | "AllowTraffic" | "none";
  failed: InstanceOutcome[];
}

/**
 * Sends the batch (its instances still succeeding) one segment of its phase's commands (phaseSegments; blue/green:
 * the green install, AllowTraffic's or BlockTraffic's hooks) (one script for every instance: each
 * instance finds its own previous revision in its deployment root), in SendCommand's groups of at most 50 nodes.
 * Without target groups that is the whole install in one command; with them BeforeBlockTraffic, then AfterBlockTraffic
 * through BeforeAllowTraffic, then AfterAllowTraffic, the workflow moving traffic in between.
 */
export async function sendBatch(deps: CommandsDeps, deployment: DeploymentContext, batch: string[], segment = 0, failed: InstanceOutcome[] = [], phase: ServerPhase = "inPlace"): Promise<SentSegment> {
  const { pollSeconds: _poll, targetGroups, ...command } = deployment;
  const segments = phaseSegments(phase, (targetGroups ?? []).length > 0);
  const final = segment === segments.length - 1;
  const current = segments[segment] as (typeof segments)[number];
  const { documentName, script } = installDocument({ ...command, events: current.events, final: current.records, ...(current.fromLastRevision ? { fromLastRevision: true } : {}) });
  const sent: SentCommand[] = [];
  for (let k = 0; k < batch.length; k += MAX_NODES_PER_COMMAND) {
    const instanceIds = batch.slice(k, k + MAX_NODES_PER_COMMAND);
    const commandId = await deps.runCommand.send({ documentName, instanceIds, script, executionTimeoutSeconds: executionTimeout(deployment), comment: `stepdeploy ${deployment.deploymentId}` });
    sent.push({ commandId, instanceIds });
  }
  deps.log(deployment.deploymentId).info("install commands sent", { instances: batch.length, commands: sent.length, segment, phase });
  return { commands: sent, segment, final, trafficAfter: current.traffic ?? "none", failed };
}

/**
 * Reads every instance's result, one ListCommandInvocations page per 50; `done` when none is still pending or running,
 * with the outcomes of the instances that failed earlier in the batch first.
 * A failed instance's output is read again with GetCommandInvocation (24,000 characters instead of 2,500), so the
 * failing event's status line is found after long hook output.
 * With `watch`, a batch still running is checked for an operator's stop and the alarms at every poll (halt.ts); on
 * either, its commands are cancelled (CancelCommand), and it ends now with `interrupted` and the instances that had
 * not finished counted as failed (errorCode Cancelled), so a stop or an alarm does not wait for the slowest hook.
 */
export async function pollBatch(deps: PollDeps, sent: SentCommand[], failed: InstanceOutcome[] = [], watch?: ServerWatch): Promise<{ done: boolean } & BatchResult> {
  const read = await readBatch(deps, sent, failed);
  if (read.done || !watch) return { ...read, interrupted: null };
  const halt = await haltReason(deps, watch, `during its batch (${sent.length} command(s) cancelled)`);
  if (!halt) return { ...read, interrupted: null };
  for (const c of sent) await deps.runCommand.cancel(c.commandId);
  deps.log(watch.deploymentId).warn("batch cancelled", { error: halt.error, commands: sent.map((c) => c.commandId) });
  return { ...(await readBatch(deps, sent, failed)), done: true, interrupted: halt };
}

async function readBatch(deps: CommandsDeps, sent: SentCommand[], failed: InstanceOutcome[]): Promise<{ done: boolean } & BatchResult> {
  const outcomes: InstanceOutcome[] = [...failed];
  let done = true;
  for (const c of sent) {
    for (const r of await deps.runCommand.results(c.commandId)) {
      if (!r.done) {
        done = false;
        continue;
      }
      if (r.status === "Success") {
        outcomes.push({ instanceId: r.instanceId, status: "Succeeded" });
        continue;
      }
      if (r.status === "Cancelled") {
        outcomes.push({ instanceId: r.instanceId, status: "Failed", errorCode: "Cancelled", message: "the install command was cancelled (stop or alarm) before it ended" });
        continue;
      }
      const full = await deps.runCommand.result(c.commandId, r.instanceId);
      const failed = parseInstallOutput(full.output).find((e) => e.status === "Failed");
      outcomes.push({ instanceId: r.instanceId, status: "Failed", ...(failed ? { event: failed.event, errorCode: failed.errorCode, message: failed.message } : { errorCode: "UnknownError", message: `SSM ${r.status} (${r.details}), exit code ${r.exitCode}` }) });
    }
  }
  return { done, outcomes: done ? outcomes : [] };
}
