import { describeTrigger, matchSource, parseTriggerEvent, type ReleaseSource, releaseDeploymentId, releaseExecutionName } from "../domain/release/index.js";
import type { ReleaseEvent } from "../lib/release-input.js";
import type { Deps } from "../wiring.js";

export interface DispatchedRelease {
  release: string;
  deploymentId: string;
  executionArn: string;
  trigger: string;
}

export interface DispatchResult {
  started: DispatchedRelease[];
  duplicates: DispatchedRelease[];
  ignored: string[];
}

/**
 * Turns each upload or push in the event into at most one release execution: the execution name is
 * derived from the event (domain/release/names.ts), so a duplicate delivery finds the release already
 * started. Events that match no release source are returned as ignored, never failed (a failed
 * target would only make EventBridge deliver it again).
 */
export async function dispatchReleases(deps: Pick<Deps, "executions">, event: unknown, config: { sources: readonly ReleaseSource[]; stateMachineArn: string }): Promise<DispatchResult> {
  const { triggers, ignored } = parseTriggerEvent(event);
  const result: DispatchResult = { started: [], duplicates: [], ignored: ignored.map((i) => i.reason) };
  for (const trigger of triggers) {
    const match = matchSource(config.sources, trigger);
    if ("ignored" in match) {
      result.ignored.push(match.ignored);
      continue;
    }
    const releaseId = releaseExecutionName(match.source.name, trigger);
    const input: ReleaseEvent = { releaseId, deploymentId: releaseDeploymentId(releaseId), source: match.source, trigger, ...(match.bundleType ? { bundleType: match.bundleType } : {}) };
    const { executionArn, alreadyExisted } = await deps.executions.startOnce(config.stateMachineArn, releaseId, input);
    (alreadyExisted ? result.duplicates : result.started).push({ release: releaseId, deploymentId: input.deploymentId, executionArn, trigger: describeTrigger(trigger) });
  }
  return result;
}
