import type { DeploymentEventDetail } from "../domain/deployment/notification.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import { triggerMessages } from "../domain/groups/index.js";
import type { Deps } from "../wiring.js";

/** A deployment event from the stack's bus, as EventBridge hands it to a rule's Lambda target. */
export interface DeploymentEvent {
  account: string;
  time?: string;
  detail: DeploymentEventDetail;
}

export type TriggerDeps = Pick<Deps, "config" | "registry" | "topics" | "log">;

/**
 * Sends the SNS notifications a deployment event means for its group's triggers. A group without triggers, or a
 * deployment of no declared group (a full input naming its own application/group), sends nothing. Every trigger
 * is tried; a failed publish is logged and, once all were tried, thrown (Lambda retries the event, then the
 * dead-letter queue keeps it), so a subscriber may see a message twice but a deployment never waits on SNS.
 */
export async function notifyTriggers(deps: TriggerDeps, event: DeploymentEvent): Promise<{ published: number }> {
  const d = event.detail;
  const log = deps.log(d.deploymentId);
  const group = deps.config.groups.groups.find((g) => g.application === d.application && g.deploymentGroup === d.deploymentGroup);
  if (!group?.triggers.length) return { published: 0 };
  const record = await deps.registry.getDeployment(d.deploymentId);
  const messages = triggerMessages(group, d, { accountId: event.account, createTime: record?.createTime ?? event.time, completeTime: record?.endTime ?? event.time });
  const failed: string[] = [];
  for (const m of messages) {
    try {
      await deps.topics.publish(m.topicArn, m.subject, m.message);
      log.info("trigger sent", { trigger: m.triggerName, event: m.event, topicArn: m.topicArn });
    } catch (e) {
      failed.push(`${m.triggerName}: ${(e as Error).message}`);
      log.error("trigger not sent", { trigger: m.triggerName, event: m.event, topicArn: m.topicArn, error: (e as Error).name });
    }
  }
  if (failed.length) throw new StepDeployError(ErrorNames.AwsError, `triggers not sent: ${failed.join("; ")}`);
  return { published: messages.length };
}
