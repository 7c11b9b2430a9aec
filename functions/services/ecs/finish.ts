import type { EcsDeployment } from "../../domain/ecs/deployment.js";
import type { Outcome } from "../../domain/deployment/outcome.js";
import type { TrafficPlan } from "../../domain/deployment/plan.js";
import type { Deps } from "../../wiring.js";
import { promoteAndRemoveOriginal } from "./cleanup.js";
import type { Installed } from "./steps.js";
import { rollBackEcs } from "./rollback.js";

type EcsDeps = Pick<Deps, "loadBalancer" | "ecs" | "log">;

/** The replacement: what Install returned, or (Install's answer lost) the task set ECS holds under this deployment's externalId. */
async function replacementOf(deps: EcsDeps, d: EcsDeployment, install: Installed | null): Promise<{ id: string; status: string } | undefined> {
  const service = await deps.ecs.describeService(d.ecs.cluster, d.ecs.service);
  return service.taskSets.find((t) => (install ? t.id === install.taskSetId : t.externalId === d.deploymentId && t.id !== d.ecs.originalTaskSet));
}

/** Cleanup, after the termination wait: the replacement becomes PRIMARY, then the original is deleted. */
export async function cleanUp(deps: EcsDeps, event: { deployment: EcsDeployment; install: Installed }): Promise<{ primary: string; deleted: string }> {
  const d = event.deployment;
  await promoteAndRemoveOriginal(deps, { cluster: d.ecs.cluster, service: d.ecs.service, replacement: event.install.taskSetId, original: d.ecs.originalTaskSet });
  deps.log(d.deploymentId).info("replacement is primary, original deleted", { primary: event.install.taskSetId, deleted: d.ecs.originalTaskSet });
  return { primary: event.install.taskSetId, deleted: d.ecs.originalTaskSet };
}

/**
 * The ECS rollback (services/ecs/rollback.ts) as the failure path runs it: when the outcome says roll back, both
 * routes go back to blue and the replacement is deleted. A replacement that already is PRIMARY (the failure came
 * after Cleanup's swap) is not rolled back: the original may be gone, and the new version serves everything.
 */
export async function rollBackEcsDeployment(deps: EcsDeps, event: { deployment: EcsDeployment; plan: TrafficPlan; outcome: Outcome; install: Installed | null }): Promise<Outcome> {
  const { deployment: d, outcome } = event;
  if (!outcome.rollback) return outcome;
  const replacement = await replacementOf(deps, d, event.install);
  const log = deps.log(d.deploymentId);
  if (replacement?.status === "PRIMARY") return notRolledBack(outcome, "the replacement task set is already PRIMARY (cleanup had started)");
  const r = await rollBackEcs(deps, {
    target: d.ecs.target,
    pair: { blue: d.ecs.blue, green: d.ecs.green },
    config: d.config,
    prodRevision: d.ecs.prodRevision,
    ...(d.ecs.testRevision ? { testRevision: d.ecs.testRevision } : {}),
    ownWeights: event.plan.steps.map((s) => s.weight),
    ...(replacement ? { replacement: replacement.id } : {}),
  });
  const refused = [r.prod, ...(r.test ? [r.test] : [])].flatMap((x) => (x.restored ? [] : [x.reason]));
  if (refused.length) {
    log.warn("rollback refused: another writer changed a route; the replacement is kept", { refused });
    return notRolledBack(outcome, refused.join("; "));
  }
  log.info("rolled back", { prod: r.prod.reading.describe, test: r.test?.reading.describe, replacementDeleted: r.replacementDeleted });
  return outcome;
}

function notRolledBack(outcome: Outcome, why: string): Outcome {
  const reason = `${outcome.reason}; not rolled back: ${why}`;
  return { ...outcome, rollback: false, reason, eventFields: { ...outcome.eventFields, rollback: false, reason } };
}
