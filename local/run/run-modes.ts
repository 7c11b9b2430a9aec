import { isEcsInput } from "../../functions/domain/ecs/input.js";

/**
 * What `stepdeploy run` can run on this machine, decided from the input before anything is created or called.
 * The local runner is the Step Functions service of its own executions (task tokens are answered in-process), but
 * it is not subscribed to anything at the endpoint: CloudWatch "Alarm State Change" events never reach it, and a
 * compressed clock runs ahead of the endpoint's. An input that needs either is refused here, naming the field, why
 * and what to use instead, so nothing fails after traffic moved because of the runner.
 */
export interface RunProblem {
  field: string;
  reason: string;
}

/** A refusal of the whole run, before anything changed: every problem, each naming its field. */
export class RunRefused extends Error {
  override readonly name = "RunRefused";
  constructor(readonly problems: RunProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join("; "));
  }
}

export interface RunModes {
  /** The input the runner starts (alarmMonitoring filled in when the input left it out). */
  input: Record<string, unknown>;
  /** Choices made for the user, printed before the run starts. */
  notices: string[];
}

const DEFAULT_ALARM_POLL_SECONDS = 60;

function nonEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

/** A deploy-server input: instances by `target` and an archive revision, neither a Lambda alias nor an ECS service. */
export const isServerInput = (input: Record<string, unknown>): boolean => !isEcsInput(input) && input.functionName === undefined && typeof input.target === "object" && input.target !== null;

/**
 * A weighted blue/green reroute's bakes (docs/ec2.md#weighted) watch alarms by their events by default, which a local
 * run never receives: they poll instead (a notice says so), and an explicit `events` is refused naming the field.
 */
function weightedBakeModes(input: Record<string, unknown>): RunModes {
  const routing = (input.blueGreen as { trafficRouting?: Record<string, unknown> } | undefined)?.trafficRouting;
  if (!routing || !nonEmptyList(input.alarms)) return { input, notices: [] };
  if (routing.alarmMonitoring === "events") {
    throw new RunRefused([{ field: "blueGreen.trafficRouting.alarmMonitoring", reason: "'events' waits for CloudWatch \"Alarm State Change\" events, which never reach a local run, so an alarm firing during a bake would go unseen until the next step; leave the field out (run polls by default) or set it to \"polling\"" }]);
  }
  if (routing.alarmMonitoring !== undefined) return { input, notices: [] };
  const every = typeof routing.alarmPollSeconds === "number" ? routing.alarmPollSeconds : DEFAULT_ALARM_POLL_SECONDS;
  const blueGreen = { ...(input.blueGreen as object), trafficRouting: { ...routing, alarmMonitoring: "polling" } };
  return { input: { ...input, blueGreen }, notices: [`blueGreen.trafficRouting.alarmMonitoring: polling every ${every} s during the weighted bakes (run's default: a local run receives no CloudWatch alarm events)`] };
}

export function decideRunModes(input: Record<string, unknown>, opts: { realTime: boolean }): RunModes {
  // deploy-server reads its alarms before each batch (no alarm events to choose); its instances install in real time.
  if (isServerInput(input)) {
    if (opts.realTime) return weightedBakeModes(input);
    throw new RunRefused([
      {
        field: "target",
        reason:
          "deploy-server reads each batch's SSM command results at the endpoint, whose instances take real time to install; without --real-time the run's clock jumps through the polls, ahead of the endpoint's; add --real-time, or try the deployment with `stepdeploy simulate` (events/server)",
      },
    ]);
  }
  const problems: RunProblem[] = [];
  const notices: string[] = [];
  const watchesAlarms = nonEmptyList(input.alarms);
  let monitoring = input.alarmMonitoring;
  if (monitoring === undefined) {
    monitoring = "polling";
    if (watchesAlarms) {
      const every = typeof input.alarmPollSeconds === "number" ? input.alarmPollSeconds : DEFAULT_ALARM_POLL_SECONDS;
      notices.push(`alarmMonitoring: polling every ${every} s (run's default: a local run receives no CloudWatch alarm events; the deployed stack's default is events)`);
    }
  } else if (monitoring === "events" && watchesAlarms) {
    problems.push({
      field: "alarmMonitoring",
      reason:
        "'events' waits for CloudWatch \"Alarm State Change\" events, which reach the alarm listener of a deployed stack but never a local run, so an alarm firing during a bake would go unseen until the next traffic step; leave the field out (run polls by default) or set it to \"polling\"",
    });
  }
  if (nonEmptyList(input.metricGates) && !opts.realTime) {
    problems.push({
      field: "metricGates",
      reason:
        "without --real-time the run's clock jumps through each bake, ahead of the endpoint's, so a gate would read a CloudWatch window that has not happened yet; add --real-time (the bakes then take their real length), or try the gates with `stepdeploy simulate`",
    });
  }
  if (isEcsInput(input) && !opts.realTime) {
    problems.push({
      field: "ecs",
      reason:
        "deploy-ecs waits for the replacement's tasks to start and its targets to pass their health checks at the endpoint, which take real time; without --real-time the run's clock jumps through those waits, ahead of the endpoint's, and would declare a healthy replacement unhealthy; add --real-time, or try the deployment with `stepdeploy simulate` (events/ecs/scenarios)",
    });
  }
  if (problems.length > 0) throw new RunRefused(problems);
  return { input: { ...input, alarmMonitoring: monitoring }, notices };
}
