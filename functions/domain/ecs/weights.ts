/**
 * Listener weights. A step at `w` percent forwards `{blue: 100 - w, green: w}` (weights 0-999; ELBv2 API
 * reference, TargetGroupTuple), both target groups always present: the end state `{green: 100, blue: 0}`
 * keeps the idle group in the action, as CodeDeploy leaves it (codedeploy-spec §6.3, an AWS Support
 * answer quoted in traveloka/terraform-aws-alb-single-listener#47), so the next deployment's targets are
 * health-checked while they are installed.
 */
export interface WeightedTargetGroup {
  targetGroupArn: string;
  weight: number;
}

export interface Pair {
  blue: string;
  green: string;
}

/** The forward action's target groups for `w` percent on green. */
export function forwardFor(pair: Pair, w: number): WeightedTargetGroup[] {
  if (!Number.isInteger(w) || w < 0 || w > 100) throw new RangeError(`weight must be an integer percent 0-100, got ${w}`);
  return [
    { targetGroupArn: pair.blue, weight: 100 - w },
    { targetGroupArn: pair.green, weight: w },
  ];
}

/**
 * The percent of traffic on green that a forward action serves, or null when it forwards anywhere but
 * the pair, or nowhere (all weights 0): a state this deployment did not make (another writer).
 * Weights are relative (ELBv2 distributes by weight / sum), so `{blue: 1}` alone is 0% on green.
 */
export function weightOnGreen(pair: Pair, groups: readonly WeightedTargetGroup[]): number | null {
  if (groups.some((g) => g.targetGroupArn !== pair.blue && g.targetGroupArn !== pair.green)) return null;
  const total = groups.reduce((n, g) => n + g.weight, 0);
  if (total === 0) return null;
  const green = groups.filter((g) => g.targetGroupArn === pair.green).reduce((n, g) => n + g.weight, 0);
  return (green * 100) / total;
}

/** Whether the forward action is exactly what `forwardFor(pair, w)` writes (the read-back check before a bake). */
export function isExactly(pair: Pair, groups: readonly WeightedTargetGroup[], w: number): boolean {
  const want = forwardFor(pair, w);
  if (groups.length !== want.length) return false;
  return want.every((x) => groups.some((g) => g.targetGroupArn === x.targetGroupArn && g.weight === x.weight));
}

/** `web-blue=90, web-green=10`, for messages. */
export function describeForward(groups: readonly WeightedTargetGroup[]): string {
  return groups.map((g) => `${g.targetGroupArn.split("/")[1] ?? g.targetGroupArn}=${g.weight}`).join(", ") || "(nothing)";
}

/**
 * A route's forward action as a revision string: ELBv2 has no revision id or conditional write for
 * listeners, so a deployment compares what it reads with what it last read or wrote, and never writes
 * over a change it did not make. Order-insensitive.
 */
export function forwardRevision(groups: readonly WeightedTargetGroup[]): string {
  return [...groups]
    .sort((a, b) => a.targetGroupArn.localeCompare(b.targetGroupArn))
    .map((g) => `${g.targetGroupArn}=${g.weight}`)
    .join(",");
}
