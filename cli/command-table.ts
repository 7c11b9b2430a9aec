import type { Command } from "./io.js";

/**
 * Every command: its one-line summary for `help`, and how to load it. `help` reads only this table,
 * so it imports no command module; a command's module (and what it needs: the engine, the AWS SDK)
 * is loaded only when that command runs. Adding a command = a file in cli/commands/ and a row here.
 */
export interface CommandEntry {
  summary: string;
  load: () => Promise<{ default: Command }>;
  /** Runs the Lambda handlers in this process: their logs are captured (handler-logs.ts) and `--verbose` shows them. */
  runsHandlers?: true;
}

export const COMMANDS = {
  demo: {
    summary: "the simulator demo: a canary whose alarm fires mid-bake and rolls back, a linear that succeeds, an S3 upload delivered twice that releases itself once, and a pipeline (source, real build, approval, canary)",
    load: () => import("./commands/demo.js"),
    runsHandlers: true,
  },
  schedule: {
    summary: "show the traffic schedule of a deployment config (predefined name, JSON, or @file.json)",
    load: () => import("./commands/schedule.js"),
  },
  validate: {
    summary: "check an AppSpec file (YAML or JSON, or a zip/tar/tgz bundle holding one) the way CodeDeploy would",
    load: () => import("./commands/validate.js"),
  },
  simulate: {
    summary: "run a scenario (account + input + timeline), a release scenario or a trigger event on the local engine against the simulated account",
    load: () => import("./commands/simulate.js"),
    runsHandlers: true,
  },
  run: {
    summary: "run the deploy workflow locally against an AWS-compatible endpoint (--endpoint) where your function, alias and alarms exist",
    load: () => import("./commands/run.js"),
    runsHandlers: true,
  },
  groups: {
    summary: "applications and deployment groups as code: groups validate|list|show [file] (config/groups.<stage>.yml)",
    load: () => import("./commands/groups.js"),
  },
  deploy: {
    summary: "start a deployment: deploy --application A --deployment-group G --s3-location bucket=B,key=K,bundleType=zip, or deploy lambda <input.json>",
    load: () => import("./commands/deploy.js"),
    // With --simulate the deployment runs here, on the simulated account; otherwise nothing logs.
    runsHandlers: true,
  },
  status: {
    summary: "show a deployment: status, weight bar, step, alarms/control state, outcome",
    load: () => import("./commands/status.js"),
  },
  watch: {
    summary: "follow a deployment until it ends; exits 1 if it fails or is stopped",
    load: () => import("./commands/watch.js"),
  },
  list: {
    summary: "list deployments, newest first (--status InProgress,Failed --limit N)",
    load: () => import("./commands/list.js"),
  },
  history: {
    summary: "a deployment group's history: history --group application/group",
    load: () => import("./commands/history.js"),
  },
  stop: {
    summary: "stop a deployment and roll traffic back (--no-rollback leaves it where it is)",
    load: () => import("./commands/stop.js"),
  },
  pause: {
    summary: "freeze a deployment at its current weight; alarms keep watching",
    load: () => import("./commands/pause.js"),
  },
  resume: {
    summary: "continue a paused deployment with the bake time it had left",
    load: () => import("./commands/resume.js"),
  },
  promote: {
    summary: "finish now: skip remaining steps and bakes, go to 100%, run AfterAllowTraffic",
    load: () => import("./commands/promote.js"),
  },
  continue: {
    summary: "ECS and EC2 blue/green: end the ready wait and move production traffic (--termination-wait: end the termination wait, retire the original)",
    load: () => import("./commands/continue.js"),
  },
  pipeline: {
    summary: "CodePipeline definitions: validate, synth, simulate locally; operate deployed pipelines: start, state, approve, reject, retry, transitions, history",
    load: () => import("./commands/pipeline.js"),
    // `pipeline simulate` runs the pipeline handlers in this process.
    runsHandlers: true,
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof COMMANDS;

export function findCommand(name: string): CommandEntry | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
}
