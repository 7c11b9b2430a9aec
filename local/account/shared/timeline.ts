import type { SimClock } from "../../clock.js";
import { Checker } from "./checker.js";
import type { TimelineItem, TimelineKind } from "./service.js";

/**
 * World events in simulated seconds, applied lazily: whenever the clock advances (SimClock
 * onAdvance) every entry now due is applied in order, and entries already due when added are
 * applied at once. An entry's effect is dated at its own `atSeconds` even when the clock jumped
 * past it (e.g. during a hook's latency), so "the alarm fired at 240 s" stays true.
 *
 * Each entry is `{atSeconds, <kind>: ...}`; the kinds come from the services (`alarm`, `metric`:
 * cloudwatch; `hook`, `alias`: lambda) and the account (`fault`, `action`). README.md lists them.
 */
export interface ScheduledItem {
  kind: string;
  item: TimelineItem;
}

/** Validates timeline entries against the known kinds (all problems at once, with their paths). */
export function parseTimeline(raw: unknown, kinds: Readonly<Record<string, TimelineKind>>, field = "timeline"): ScheduledItem[] {
  const c = new Checker();
  const names = Object.keys(kinds);
  const out: ScheduledItem[] = [];
  c.array(raw, field).forEach((entry, i) => {
    const f = `${field}[${i}]`;
    const present = names.filter((k) => typeof entry === "object" && entry !== null && k in entry);
    const kind = present.length === 1 ? kinds[present[0] as string] : undefined;
    if (!kind) {
      c.fail(f, `must have exactly one of ${names.join(", ")}`);
      return;
    }
    const o = c.object(entry, f, ["atSeconds", present[0] as string, ...kind.keys]);
    if (!o) return;
    const before = c.problems.length;
    const atSeconds = c.number(o, "atSeconds", f, { required: true, min: 0 }) ?? 0;
    const item = kind.parse(o, f, c, atSeconds);
    if (item && c.problems.length === before) out.push({ kind: present[0] as string, item });
  });
  c.throwIfAny();
  return out;
}

export class Timeline {
  private readonly items: ScheduledItem[] = [];
  private applying = false;

  constructor(
    private readonly clock: SimClock,
    private readonly apply: (scheduled: ScheduledItem) => void,
  ) {
    clock.onAdvance(() => this.flush());
  }

  add(items: ScheduledItem[]): void {
    this.items.push(...items);
    // Stable sort: entries at the same second keep the order they were written in.
    this.items.sort((a, b) => a.item.atSeconds - b.item.atSeconds);
    this.flush();
  }

  /** Entries not yet applied. */
  pending(): readonly TimelineItem[] {
    return this.items.map((s) => s.item);
  }

  /** Simulated second of the next entry not yet applied, if any. */
  nextAt(): number | undefined {
    return this.items[0]?.item.atSeconds;
  }

  private flush(): void {
    if (this.applying) return;
    this.applying = true;
    try {
      const now = this.clock.elapsedSeconds();
      while (this.items.length && (this.items[0] as ScheduledItem).item.atSeconds <= now + 1e-9) this.apply(this.items.shift() as ScheduledItem);
    } finally {
      this.applying = false;
    }
  }
}
