import type { AlarmReading } from "../domain/alarms/evaluate.js";

/** CloudWatch alarms by name (metric and composite). Names CloudWatch does not know are absent from the answer. */
export interface AlarmsPort {
  describe(names: string[]): Promise<AlarmReading[]>;
}
