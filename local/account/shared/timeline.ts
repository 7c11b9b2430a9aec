import type { SimClock } from "../../clock.js";
import type { MetricId } from "../cloudwatch/metrics.js";
import { ALARM_STATES, type AlarmState } from "../cloudwatch/world.js";
import { type FaultSpec, parseFault } from "./transport/faults.js";
import { type ScriptedResult, parseResults } from "../lambda/script.js";
import { parseMetricId } from "../setup.js";
import { Checker, type Json } from "./checker.js";

/**
 * World events in simulated seconds, applied lazily: whenever the clock advances (SimClock
 * onAdvance) every entry now due is applied in order, and entries already due when added are
 * applied at once. An entry's effect is dated at its own `atSeconds` even when the clock jumped
 * past it (e.g. during a hook's latency), so "the alarm fired at 240 s" stays true.
 *
 *   {atSeconds, alarm: "orders-errors", state: "ALARM", reason?}
 *   {atSeconds, hook: "CodeDeployHook_pre", results?: [...], latencySeconds?}   (any function)
 *   {atSeconds, fault: {operation, kind, count?, untilSeconds?, ...}}          (window starts at atSeconds)
 *   {atSeconds, metric: {namespace, metricName, dimensions?, value, unit?}}
 *   {atSeconds, alias: {function, name, version?, weights?}}                   (someone else edits the alias)
 *   {atSeconds, action: "stop", input?: <any JSON>}                             (an operator acts: the handler
 *                                                                                registered with account.onAction)
 */
export type TimelineItem =
  | { atSeconds: number; alarm: string; state: AlarmState; reason?: string }
  | { atSeconds: number; hook: string; results?: ScriptedResult[]; latencySeconds?: number }
  | { atSeconds: number; fault: FaultSpec }
  | { atSeconds: number; metric: MetricId & { value: number; unit?: string } }
  | { atSeconds: number; alias: { function: string; name: string; version?: string; weights?: Record<string, number> } }
  | ActionItem;

/** An operator action: what it means is wired by the simulator with `account.onAction(action, handler)`. */
export interface ActionItem {
  atSeconds: number;
  action: string;
  /** Free-form JSON handed to the handler with the item. */
  input?: unknown;
}

/** Names the timeline may refer to, so typos fail when the timeline is added, not mid-run. */
export interface TimelineContext {
  hasAlarm(name: string): boolean;
  hasFunction(name: string): boolean;
}

export function parseTimeline(raw: unknown, ctx: TimelineContext, field = "timeline"): TimelineItem[] {
  const c = new Checker();
  const out: TimelineItem[] = [];
  c.array(raw, field).forEach((item, i) => {
    const f = `${field}[${i}]`;
    const kinds = ["alarm", "hook", "fault", "metric", "alias", "action"].filter((k) => typeof item === "object" && item !== null && k in item);
    if (kinds.length !== 1) {
      c.fail(f, "must have exactly one of alarm, hook, fault, metric, alias, action");
      return;
    }
    const kind = kinds[0] as string;
    const allowed = { alarm: ["atSeconds", "alarm", "state", "reason"], hook: ["atSeconds", "hook", "results", "latencySeconds"], fault: ["atSeconds", "fault"], metric: ["atSeconds", "metric"], alias: ["atSeconds", "alias"], action: ["atSeconds", "action", "input"] }[kind] ?? [];
    const o = c.object(item, f, allowed);
    if (!o) return;
    const before = c.problems.length;
    const atSeconds = c.number(o, "atSeconds", f, { required: true, min: 0 }) ?? 0;
    if (kind === "alarm") {
      const alarm = c.string(o, "alarm", f, { required: true });
      const state = c.string(o, "state", f, { required: true, oneOf: ALARM_STATES }) as AlarmState | undefined;
      const reason = c.string(o, "reason", f);
      if (alarm && !ctx.hasAlarm(alarm)) c.fail(`${f}.alarm`, `no alarm named ${alarm} in the account`);
      if (alarm && state && c.problems.length === before) out.push(reason ? { atSeconds, alarm, state, reason } : { atSeconds, alarm, state });
    } else if (kind === "hook") {
      const hook = c.string(o, "hook", f, { required: true });
      const results = parseResults(o.results, `${f}.results`, c);
      const latencySeconds = c.number(o, "latencySeconds", f, { min: 0 });
      if (hook && !ctx.hasFunction(hook)) c.fail(`${f}.hook`, `no function named ${hook} in the account`);
      if (!results && latencySeconds === undefined) c.fail(f, "must change results and/or latencySeconds");
      if (hook && c.problems.length === before) {
        const entry: TimelineItem = { atSeconds, hook };
        if (results) entry.results = results;
        if (latencySeconds !== undefined) entry.latencySeconds = latencySeconds;
        out.push(entry);
      }
    } else if (kind === "fault") {
      const fault = parseFault(o.fault, `${f}.fault`, c, atSeconds);
      if (fault) out.push({ atSeconds, fault });
    } else if (kind === "metric") {
      const mo: Json | undefined = c.object(o.metric, `${f}.metric`, ["namespace", "metricName", "dimensions", "value", "unit"]);
      const id = mo ? parseMetricId(mo, `${f}.metric`, c) : undefined;
      const value = mo ? c.number(mo, "value", `${f}.metric`, { required: true }) : undefined;
      const unit = mo ? c.string(mo, "unit", `${f}.metric`) : undefined;
      if (id && value !== undefined) out.push({ atSeconds, metric: unit ? { ...id, value, unit } : { ...id, value } });
    } else if (kind === "action") {
      const action = c.string(o, "action", f, { required: true });
      if (action && c.problems.length === before) out.push("input" in o ? { atSeconds, action, input: o.input } : { atSeconds, action });
    } else {
      const ao = c.object(o.alias, `${f}.alias`, ["function", "name", "version", "weights"]);
      const fn = ao ? c.string(ao, "function", `${f}.alias`, { required: true }) : undefined;
      const name = ao ? c.string(ao, "name", `${f}.alias`, { required: true }) : undefined;
      const version = ao ? c.string(ao, "version", `${f}.alias`) : undefined;
      const weights = ao?.weights === undefined ? undefined : c.object(ao.weights, `${f}.alias.weights`, Object.keys((ao.weights as Json) ?? {}));
      if (fn && !ctx.hasFunction(fn)) c.fail(`${f}.alias.function`, `no function named ${fn} in the account`);
      if (fn && name && c.problems.length === before) {
        const alias: { function: string; name: string; version?: string; weights?: Record<string, number> } = { function: fn, name };
        if (version) alias.version = version;
        if (weights) alias.weights = weights as Record<string, number>;
        out.push({ atSeconds, alias });
      }
    }
  });
  c.throwIfAny();
  return out;
}

export class Timeline {
  private readonly items: TimelineItem[] = [];
  private applying = false;

  constructor(
    private readonly clock: SimClock,
    private readonly apply: (item: TimelineItem) => void,
  ) {
    clock.onAdvance(() => this.flush());
  }

  add(items: TimelineItem[]): void {
    this.items.push(...items);
    // Stable sort: entries at the same second keep the order they were written in.
    this.items.sort((a, b) => a.atSeconds - b.atSeconds);
    this.flush();
  }

  /** Entries not yet applied. */
  pending(): readonly TimelineItem[] {
    return this.items;
  }

  /** Simulated second of the next entry not yet applied, if any. */
  nextAt(): number | undefined {
    return this.items[0]?.atSeconds;
  }

  private flush(): void {
    if (this.applying) return;
    this.applying = true;
    try {
      const now = this.clock.elapsedSeconds();
      while (this.items.length && (this.items[0] as TimelineItem).atSeconds <= now + 1e-9) this.apply(this.items.shift() as TimelineItem);
    } finally {
      this.applying = false;
    }
  }
}
