import type { EventEntry } from "../domain/pipeline/execution/events.js";

/** CodePipeline-shaped state-change events to the stack's event bus (source `stepdeploy`). */
export interface PipelineEventsPort {
  putPipelineEvents(entries: EventEntry[]): Promise<void>;
}
