import type { ResolvedConfig, Schedule, ScheduleKind } from "./types.js";

/** Human-readable views of a schedule, so the plan is visible before anything runs. */

export interface ScheduleRow {
  /** 1-based step number. */
  step: number;
  atSeconds: number;
  /** `atSeconds` as mm:ss (minutes may exceed 59). */
  at: string;
  weight: number;
  /** Seconds at this weight before the next step; 0 for the last step. */
  bakeSeconds: number;
  /** `bakeSeconds` as mm:ss, or "-" for the last step. */
  bakeUntilNext: string;
}

/** 0 → "00:00", 540 → "09:00", 172800 → "2880:00". */
export function formatClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

export function describeSchedule(schedule: Schedule): ScheduleRow[] {
  return schedule.steps.map((s, i) => {
    const next = schedule.steps[i + 1];
    const bakeSeconds = next ? next.atSeconds - s.atSeconds : 0;
    return { step: i + 1, atSeconds: s.atSeconds, at: formatClock(s.atSeconds), weight: s.weight, bakeSeconds, bakeUntilNext: next ? formatClock(bakeSeconds) : "-" };
  });
}

/** Aligned text table of describeSchedule's rows, header first. */
export function renderScheduleTable(schedule: Schedule): string[] {
  const header = ["#", "at (mm:ss)", "weight", "bake until next"];
  const rows = describeSchedule(schedule).map((r) => [String(r.step), r.at, `${r.weight}%`, r.bakeUntilNext]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

const MODEL_NOTES: Record<ScheduleKind, string> = {
  AllAtOnce: "All at once: 100% on the new version at T0, nothing to bake.",
  TimeBasedCanary: "Canary: canaryPercentage at T0, the rest canaryInterval minutes later; the schedule ends with the 100% shift.",
  TimeBasedLinear:
    "Linear, model A (UNCONFIRMED in CodeDeploy): one shift every linearInterval minutes from T0; 100% is reached at (n-1)·interval, n = ceil(100/linearPercentage), with no extra bake after it; a percentage that does not divide 100 ends with the remainder.",
  StepList: "Step list (stepdeploy extension): each weight holds for its bakeMinutes; 100% follows the last step's bake.",
};

/** What T0 means for every schedule (codedeploy-spec §1.3). */
export const T0_NOTE = "T0 = start of AllowTraffic, after the BeforeAllowTraffic hook succeeded.";

/** One line explaining the timing model behind a schedule of this kind. */
export function timingModelNote(kind: ScheduleKind): string {
  return MODEL_NOTES[kind];
}

/** "TimeBasedLinear: 10% every 1 minute" and similar; platform appended when known. */
export function describeConfig(resolved: ResolvedConfig): string {
  const platform = resolved.computePlatform ? ` (${resolved.computePlatform})` : "";
  const r = resolved.trafficRoutingConfig;
  const min = (n: number) => `${n} minute${n === 1 ? "" : "s"}`;
  if (!r) return `Step list: ${resolved.bakeSteps?.map((s) => `${s.weight}% for ${min(s.bakeMinutes)}`).join(", ")}, then 100%${platform}`;
  switch (r.type) {
    case "AllAtOnce":
      return `AllAtOnce${platform}`;
    case "TimeBasedCanary":
      return `TimeBasedCanary: ${r.timeBasedCanary.canaryPercentage}%, the rest after ${min(r.timeBasedCanary.canaryInterval)}${platform}`;
    case "TimeBasedLinear":
      return `TimeBasedLinear: ${r.timeBasedLinear.linearPercentage}% every ${min(r.timeBasedLinear.linearInterval)}${platform}`;
  }
}
