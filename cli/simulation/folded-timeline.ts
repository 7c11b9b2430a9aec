/**
 * Live timeline output with repeats folded. Several checks in one simulated second print the same
 * line ("alarms read: orders-errors=OK" before the first hook, at the shift and at the bake): a line
 * whose time and text were already printed in that second is not printed again; its first place
 * gets "(xN)". Lines are held until their second has passed (a later line, an untimed line, or
 * flush()), which in a simulation is a few milliseconds of wall time.
 */
export interface FoldedTimeline {
  /** A line stamped with its simulated second. */
  at(seconds: number, text: string): void;
  /** A line outside the timeline: printed after what is held. */
  line(text: string): void;
  flush(): void;
}

export function foldedTimeline(write: (line: string) => void): FoldedTimeline {
  let second: number | undefined;
  let held: { text: string; count: number }[] = [];
  const flush = () => {
    for (const h of held) write(h.count > 1 ? `${h.text}  (x${h.count})` : h.text);
    held = [];
    second = undefined;
  };
  return {
    at(seconds, text) {
      const s = Math.round(seconds);
      if (second !== s) flush();
      second = s;
      const same = held.find((h) => h.text === text);
      if (same) same.count++;
      else held.push({ text, count: 1 });
    },
    line(text) {
      flush();
      write(text);
    },
    flush,
  };
}
