import { stageReleaseSources } from "../lib/release-input.js";
import { type DispatchResult, dispatchReleases } from "../services/release-dispatch.js";
import { type Deps, realDeps } from "../wiring.js";

/**
 * Target of the S3 "Object Created" and ECR "ECR Image Action" rules (and of S3 notifications in the
 * `Records[]` form): each upload or image starts at most one release (services/release-dispatch.ts).
 * A broken configuration fails loudly (Release.InvalidConfiguration), unlike an event that is merely
 * not ours, which is logged and ignored.
 */
export function createHandler(deps: Pick<Deps, "executions" | "log">) {
  return async (event: unknown): Promise<DispatchResult> => {
    const log = deps.log();
    const sources = stageReleaseSources(process.env);
    const result = await dispatchReleases(deps, event, { sources, stateMachineArn: process.env.RELEASE_STATE_MACHINE_ARN ?? "" });
    for (const r of result.started) log.info("release started", { releaseId: r.release, deploymentId: r.deploymentId, trigger: r.trigger });
    for (const r of result.duplicates) log.info("release already started for this event", { releaseId: r.release, deploymentId: r.deploymentId, trigger: r.trigger });
    for (const reason of result.ignored) log.info("event ignored", { reason });
    return result;
  };
}

export const handler = createHandler(realDeps());
