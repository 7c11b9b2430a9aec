import type { AlarmReading } from "../../../functions/domain/alarms/evaluate.js";
import type { AlarmsPort } from "../../../functions/ports/cloudwatch.js";

/** Alarms in memory by name; unknown names are absent from the answer, as CloudWatch does. */
export class FakeAlarms implements AlarmsPort {
  readonly states = new Map<string, AlarmReading["state"]>();

  set(name: string, state: AlarmReading["state"]): this {
    this.states.set(name, state);
    return this;
  }

  async describeAlarms(names: string[]): Promise<AlarmReading[]> {
    return names.flatMap((name) => (this.states.has(name) ? [{ name, state: this.states.get(name) as string }] : []));
  }
}
