import type { EcsDeployment } from "../../domain/ecs/deployment.js";
import type { Deps } from "../../wiring.js";
import { watchedAlarms } from "../bake.js";
import { openPhaseWait } from "../waits.js";

/**
 * Opens the ready wait or the termination wait on its task's token (the task is timed out by the wait's length):
 * the token is stored, with a watch per alarm, so an alarm event, `stepdeploy stop` and `stepdeploy continue`
 * (CodeDeploy's ContinueDeployment READY_WAIT / TERMINATION_WAIT) all answer it at once. During the termination
 * wait the original task set still runs, so an alarm or a stop rolls back with one listener change.
 */
export async function openEcsWait(
  deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">,
  event: { deployment: EcsDeployment; kind: "ready" | "termination"; taskToken: string },
): Promise<{ waiting: string; seconds: number }> {
  const d = event.deployment;
  const seconds = event.kind === "ready" ? d.ecs.readyWaitSeconds : d.ecs.terminationWaitSeconds;
  const alarms = d.alarmMonitoring === "events" ? watchedAlarms(d) : [];
  await openPhaseWait(deps, { deploymentId: d.deploymentId, token: event.taskToken, kind: event.kind, seconds, alarms, account: d.account, region: d.region }, d);
  deps.log(d.deploymentId).info(`${event.kind} wait`, { seconds, watching: alarms });
  return { waiting: event.kind, seconds };
}
