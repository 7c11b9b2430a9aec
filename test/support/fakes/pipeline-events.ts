import type { EventEntry } from "../../../functions/domain/pipeline/execution/events.js";
import type { PipelineEventsPort } from "../../../functions/ports/pipeline-events.js";

/** Keeps every event; `states()` lists them as `level:execution:stage.action:STATE` for easy assertions. */
export class FakePipelineEvents implements PipelineEventsPort {
  readonly entries: EventEntry[] = [];

  async putPipelineEvents(entries: EventEntry[]): Promise<void> {
    this.entries.push(...entries);
  }

  states(): string[] {
    return this.entries.map((e) => {
      const d = JSON.parse(e.Detail) as { "execution-id": string; stage?: string; action?: string; state: string };
      const level = e.DetailType.split(" ")[1]?.toLowerCase();
      return `${level}:${d["execution-id"]}:${[d.stage, d.action].filter(Boolean).join(".")}:${d.state}`;
    });
  }
}
