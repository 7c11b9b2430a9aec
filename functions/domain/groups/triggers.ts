import type { DeploymentEventDetail } from "../deployment/notification.js";
import type { DeploymentGroup } from "./groups.js";
import type { TriggerEvent } from "./schema.js";

/**
 * A group's triggers as CodeDeploy sends them: which trigger event types a deployment event is, and the SNS message
 * for each, in the JSON of CodeDeploy's deployment-based triggers (CodeDeploy User Guide, "JSON data formats for
 * CodeDeploy triggers": region, accountId, eventTriggerName, applicationName, deploymentId, deploymentGroupName,
 * createTime, completeTime, deploymentOverview, status, errorInformation; times as epoch seconds in strings).
 */
export interface TriggerMessage {
  triggerName: string;
  topicArn: string;
  event: TriggerEvent;
  subject: string;
  message: string;
}

/** START is DeploymentStart; SUCCESS DeploymentSuccess; FAILURE and STOP their own type, plus DeploymentRollback when traffic was rolled back. */
export function triggerEventsOf(detail: Pick<DeploymentEventDetail, "state" | "rollback">): TriggerEvent[] {
  const own: Record<DeploymentEventDetail["state"], TriggerEvent> = { START: "DeploymentStart", SUCCESS: "DeploymentSuccess", FAILURE: "DeploymentFailure", STOP: "DeploymentStop" };
  return [own[detail.state], ...(detail.rollback && (detail.state === "FAILURE" || detail.state === "STOP") ? (["DeploymentRollback"] as const) : [])];
}

const STATUS: Record<DeploymentEventDetail["state"], string> = { START: "InProgress", SUCCESS: "Succeeded", FAILURE: "Failed", STOP: "Stopped" };

/** Epoch seconds with milliseconds, as a string (`"1446744188.595"`), as CodeDeploy writes its trigger times. */
export const epochSeconds = (iso: string | undefined): string | undefined => (iso ? (Date.parse(iso) / 1000).toFixed(3) : undefined);

export function triggerMessages(
  group: DeploymentGroup,
  detail: DeploymentEventDetail,
  where: { accountId: string; createTime?: string; completeTime?: string },
): TriggerMessage[] {
  const events = triggerEventsOf(detail);
  const done = detail.state !== "START";
  // A Lambda deployment has one target, counted the way CodeDeploy counts a deployment's targets.
  const overview = { Failed: detail.state === "FAILURE" ? "1" : "0", InProgress: done ? "0" : "1", Pending: "0", Skipped: detail.state === "STOP" ? "1" : "0", Succeeded: detail.state === "SUCCESS" ? "1" : "0" };
  const out: TriggerMessage[] = [];
  for (const t of group.triggers) {
    for (const event of events.filter((e) => t.triggerEvents.includes(e))) {
      const body = {
        region: detail.region,
        accountId: where.accountId,
        eventTriggerName: t.triggerName,
        applicationName: detail.application,
        deploymentId: detail.deploymentId,
        deploymentGroupName: detail.deploymentGroup,
        createTime: epochSeconds(where.createTime),
        completeTime: done ? epochSeconds(where.completeTime) : undefined,
        deploymentOverview: overview,
        status: STATUS[detail.state],
        ...(detail.error ? { errorInformation: { ErrorCode: detail.error, ErrorMessage: detail.reason ?? "" } } : {}),
        // stepdeploy's own, beside CodeDeploy's fields: what moved and whether it was put back.
        triggerEvent: event,
        target: { functionName: detail.functionName, alias: detail.alias, currentVersion: detail.currentVersion, targetVersion: detail.targetVersion },
        rollback: detail.rollback,
      };
      // SNS subjects: at most 100 printable ASCII characters (SNS API reference, Publish).
      const subject = `${STATUS[detail.state].toUpperCase()}: stepdeploy ${detail.deploymentId} ${event} ${detail.application}/${detail.deploymentGroup}`.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
      out.push({ triggerName: t.triggerName, topicArn: t.triggerTargetArn, event, subject, message: JSON.stringify(body) });
    }
  }
  return out;
}
