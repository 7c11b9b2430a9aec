import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { EventEntry } from "../domain/pipeline/execution/events.js";
import type { PipelineEventsPort } from "../ports/pipeline-events.js";
import { toStepDeployError } from "./aws-errors.js";
import { eventBridgeClient } from "./eventbridge.js";

/** PutEvents takes at most 10 entries per request (EventBridge API Reference, PutEvents). */
export const PUT_EVENTS_BATCH = 10;

/** CodePipeline-shaped state-change events onto the stack's bus (EVENT_BUS_NAME), ten per request. */
export function createPipelineEventsAdapter(busName = process.env.EVENT_BUS_NAME ?? "default", client = eventBridgeClient()): PipelineEventsPort {
  return {
    async putPipelineEvents(entries: EventEntry[]): Promise<void> {
      for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH) {
        const batch: PutEventsRequestEntry[] = entries.slice(i, i + PUT_EVENTS_BATCH).map((e) => ({ ...e, EventBusName: busName }));
        let failed: { ErrorCode?: string; ErrorMessage?: string } | undefined;
        try {
          const out = await client.send(new PutEventsCommand({ Entries: batch }));
          if ((out.FailedEntryCount ?? 0) > 0) failed = out.Entries?.find((x) => x.ErrorCode) ?? {};
        } catch (e) {
          throw toStepDeployError(e, "PutEvents (pipeline state change)");
        }
        if (failed) throw new StepDeployError(ErrorNames.AwsError, `PutEvents (pipeline state change): ${failed.ErrorCode}: ${failed.ErrorMessage}`);
      }
    },
  };
}
