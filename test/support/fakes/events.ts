import type { EventsPort } from "../../../functions/ports/events.js";

export class FakeEvents implements EventsPort {
  readonly sent: { detail: Record<string, unknown>; resources: string[] }[] = [];
  async putDeploymentEvent(detail: object, resources: string[]) {
    this.sent.push({ detail: structuredClone(detail) as Record<string, unknown>, resources: [...resources] });
  }
}
