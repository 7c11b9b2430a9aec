import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from "@aws-sdk/client-eventbridge";
import { DEPLOYMENT_DETAIL_TYPE, EVENT_SOURCE } from "../domain/deployment/notification.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { EventsPort } from "../ports/events.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const eventBridgeClient = (): EventBridgeClient => cachedClient("eventbridge", (options) => new EventBridgeClient(options));

/** The stack's bus (EVENT_BUS_NAME). */
export function createEventsAdapter(): EventsPort {
  return { putDeploymentEvent: (detail, resources) => putDeploymentEvent(detail, resources) };
}

/** Puts one deployment notification on the stack's bus (for paths outside the state machine, e.g. the janitor). */
export async function putDeploymentEvent(detail: object, resources: string[], busName = process.env.EVENT_BUS_NAME ?? "default", client = eventBridgeClient()): Promise<void> {
  let out: PutEventsCommandOutput;
  try {
    out = await client.send(
      new PutEventsCommand({ Entries: [{ Source: EVENT_SOURCE, DetailType: DEPLOYMENT_DETAIL_TYPE, EventBusName: busName, Resources: resources, Detail: JSON.stringify(detail) }] }),
    );
  } catch (e) {
    throw toStepDeployError(e, "PutEvents");
  }
  if ((out.FailedEntryCount ?? 0) > 0) {
    throw new StepDeployError(ErrorNames.AwsError, `PutEvents: ${out.Entries?.[0]?.ErrorCode}: ${out.Entries?.[0]?.ErrorMessage}`);
  }
}
