/**
 * BlockTraffic and AllowTraffic of an in-place deployment behind ALB/NLB target groups (codedeploy-spec §3.1,
 * events 2 and 12): the workflow deregisters a batch's instances from every target group of the deployment group and
 * waits until none is draining, then, after the install, registers them again and waits until each is healthy in
 * every target group. These are the pure decisions over what DescribeTargetHealth lists; the waiting is the workflow's.
 */
export type TrafficEvent = "BlockTraffic" | "AllowTraffic";

/**
 * How long an instance may stay draining (BlockTraffic) or not yet healthy (AllowTraffic): one hour, CodeDeploy's
 * limit for any lifecycle event and ELBv2's largest deregistration delay (3600 s). CodeDeploy documents no timeout of
 * its own for these two events: UNCONFIRMED, ours.
 */
export const TRAFFIC_TIMEOUT_SECONDS = 3600;

/** One target as DescribeTargetHealth lists it in one target group. */
export interface TargetReading {
  id: string;
  state: string;
  reason?: string;
}

/**
 * A target group of the deployment group: its ARN (what the calls take), its name (what messages say), and how long
 * its targets take to drain (the deregistration delay) and to become healthy (health check interval x healthy
 * threshold), read at Start to time the first check of each wait.
 */
export interface DeploymentTargetGroup {
  arn: string;
  name: string;
  /** A Classic Load Balancer (`loadBalancerInfo.elbInfoList`; `arn` is its name), not an ELBv2 target group: the same waits, read from DescribeInstanceHealth. */
  classic?: boolean;
  drainSeconds?: number;
  healthySeconds?: number;
}

export interface TrafficVerdict {
  /** Done with this event: drained out of every target group (BlockTraffic), healthy in every one (AllowTraffic). */
  passed: string[];
  /** Not yet, within the timeout. */
  waiting: string[];
  /** Timed out: the event failed on the instance, with a CodeDeploy-like message. */
  failed: { instanceId: string; message: string }[];
}

const describe = (r: TargetReading | undefined): string => (r ? `${r.state}${r.reason ? ` (${r.reason})` : ""}` : "not registered");

/**
 * Where each instance stands after `elapsedSeconds` of the event. BlockTraffic: an instance is through once no target
 * group lists it any more (a deregistered target is listed `draining` for the group's deregistration delay, then not
 * at all). AllowTraffic: once every target group lists it `healthy`; `initial`, `unhealthy` and `unused` (no listener
 * forwards to the group) keep it waiting. At the timeout every instance still waiting fails the event.
 */
export function judgeTraffic(event: TrafficEvent, instances: string[], readings: { targetGroup: DeploymentTargetGroup; targets: TargetReading[] }[], elapsedSeconds: number, timeoutSeconds = TRAFFIC_TIMEOUT_SECONDS): TrafficVerdict {
  const verdict: TrafficVerdict = { passed: [], waiting: [], failed: [] };
  for (const id of instances) {
    const blocking = readings.map((r) => ({ tg: r.targetGroup, reading: r.targets.find((t) => t.id === id) })).filter(({ reading }) => (event === "BlockTraffic" ? reading !== undefined : reading?.state !== "healthy"));
    if (blocking.length === 0) verdict.passed.push(id);
    else if (elapsedSeconds < timeoutSeconds) verdict.waiting.push(id);
    else verdict.failed.push({ instanceId: id, message: timeoutMessage(event, blocking[0] as { tg: DeploymentTargetGroup; reading?: TargetReading }, timeoutSeconds) });
  }
  return verdict;
}

function timeoutMessage(event: TrafficEvent, first: { tg: DeploymentTargetGroup; reading?: TargetReading }, timeoutSeconds: number): string {
  const where = `${first.tg.classic ? "Classic Load Balancer" : "target group"} ${first.tg.name}`;
  if (event === "BlockTraffic") return `The instance was not deregistered from ${where} within ${timeoutSeconds} seconds: it is still ${describe(first.reading)}`;
  return `The instance did not pass the health checks of ${where} within ${timeoutSeconds} seconds of being registered: its state is ${describe(first.reading)}`;
}

/**
 * How long to wait before the next look at the target groups. The first look comes when every instance should be
 * through: the longest deregistration delay (BlockTraffic) or time to healthy (AllowTraffic) among the groups; later
 * ones every `pollSeconds`. Never past the timeout, at least 1 s. (A fixed cadence would cost a check, three state
 * transitions, every `pollSeconds` of ELBv2's default 300 s drain.)
 */
export function trafficWait(event: TrafficEvent, targetGroups: DeploymentTargetGroup[], opts: { first: boolean; elapsedSeconds: number; pollSeconds: number }, timeoutSeconds = TRAFFIC_TIMEOUT_SECONDS): number {
  const expected = targetGroups.map((t) => (event === "BlockTraffic" ? t.drainSeconds : t.healthySeconds) ?? opts.pollSeconds);
  const wanted = opts.first ? Math.max(0, ...expected) : opts.pollSeconds;
  return Math.max(1, Math.min(wanted, Math.ceil(timeoutSeconds - opts.elapsedSeconds)));
}
