import { startExecutionOnce } from "../adapters/sfn.js";
import { describeTrigger, matchSource, parseReleaseSources, parseTriggerEvent, releaseDeploymentId, releaseExecutionName, type Trigger } from "../domain/release/index.js";
import { logger } from "../lib/logger.js";

/**
 * Target of the S3 "Object Created" and ECR "ECR Image Action" rules (and of S3 notifications in the
 * `Records[]` form). Turns each event into at most one release execution per upload or image:
 * the execution name is derived from the event (domain/release/names.ts), so a duplicate delivery
 * finds the release already started. Events that match no release source are logged and ignored,
 * never failed (a failed target would only make EventBridge deliver it again).
 */
export interface DispatchResult {
  started: { release: string; executionArn: string; trigger: string }[];
  duplicates: { release: string; executionArn: string; trigger: string }[];
  ignored: string[];
}

export interface ReleaseInput {
  releaseId: string;
  deploymentId: string;
  source: unknown;
  trigger: Trigger;
  bundleType?: string;
}

export async function handler(event: unknown): Promise<DispatchResult> {
  logger.removeKeys(["deploymentId", "releaseId"]);
  // A broken configuration fails loudly (Release.InvalidConfiguration), unlike an event that is merely not ours.
  const sources = parseReleaseSources(process.env.RELEASE_SOURCES ?? "[]");
  const machine = process.env.RELEASE_STATE_MACHINE_ARN ?? "";
  const { triggers, ignored } = parseTriggerEvent(event);
  const result: DispatchResult = { started: [], duplicates: [], ignored: ignored.map((i) => i.reason) };
  for (const trigger of triggers) {
    const match = matchSource(sources, trigger);
    if ("ignored" in match) {
      result.ignored.push(match.ignored);
      continue;
    }
    const releaseId = releaseExecutionName(match.source.name, trigger);
    const input: ReleaseInput = { releaseId, deploymentId: releaseDeploymentId(releaseId), source: match.source, trigger, ...(match.bundleType ? { bundleType: match.bundleType } : {}) };
    const { executionArn, alreadyExisted } = await startExecutionOnce(machine, releaseId, input);
    const entry = { release: releaseId, executionArn, trigger: describeTrigger(trigger) };
    (alreadyExisted ? result.duplicates : result.started).push(entry);
    logger.info(alreadyExisted ? "release already started for this event" : "release started", { releaseId, deploymentId: input.deploymentId, trigger: entry.trigger });
  }
  for (const reason of result.ignored) logger.info("event ignored", { reason });
  return result;
}
