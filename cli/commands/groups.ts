import { parseArgs } from "node:util";
import { ValidationErrors } from "../../functions/domain/errors.js";
import { type DeploymentGroup, findGroup, type Groups, MACHINE_OF, serverTagFilters } from "../../functions/domain/groups/index.js";
import { type CommandIO, ExitCode, UsageError } from "../io.js";
import { groupsFile, read } from "../operator/groups-file.js";
import { checkStageReleases } from "./groups/stage-releases.js";

const USAGE = `usage: stepdeploy groups validate [file] [--stage S] [--json]
       stepdeploy groups list [file] [--stage S] [--json]
       stepdeploy groups show <application>/<group> [file] [--stage S] [--json]

  file       a groups file (YAML or JSON); default config/groups.<stage>.yml, stage from --stage,
             STEPDEPLOY_STAGE or dev (config/groups.default.yml when the stage has none)
  --json     machine-readable output`;

/** What the group deploys to, in one line: the alias, the service and its routes, or the instances' tag filters. */
export function targetOf(g: DeploymentGroup): string {
  if (g.computePlatform === "Lambda") return `${g.target.functionName}:${g.target.alias}`;
  if (g.computePlatform === "ECS") return `${g.ecs.cluster}/${g.ecs.service} (${g.ecs.targetGroups.join(" | ")})`;
  return serverTagFilters(g)
    .map((f) => (f.Type === "KEY_ONLY" ? `tag ${f.Key}` : `tag ${f.Key}=${f.Value}`))
    .join(" or ");
}

function row(g: DeploymentGroup): string {
  const alarms = g.alarms.length ? `alarms ${g.alarms.join(",")}` : "no alarms";
  const triggers = g.triggers.length ? `, ${g.triggers.length} trigger${g.triggers.length > 1 ? "s" : ""}` : "";
  return `${g.application}/${g.deploymentGroup}  ${g.computePlatform}  ${targetOf(g)}  ${g.deploymentConfigName}  ${alarms}${triggers}`;
}

function hooksOf(g: DeploymentGroup): string {
  if (g.computePlatform === "Server") return "from the revision's appspec";
  const { timeoutSeconds, ...named } = g.hooks;
  const hooks = Object.entries(named)
    .filter(([, fn]) => fn)
    .map(([event, fn]) => `${event[0]?.toUpperCase()}${event.slice(1)} ${fn}`);
  return `${hooks.length ? hooks.join(", ") : "none"} (timeout ${timeoutSeconds ?? 3600} s)`;
}

function platformLines(g: DeploymentGroup): string[] {
  if (g.computePlatform === "Lambda") return g.release ? [`  release            ${g.release.name}: ${g.release.s3 ? `s3://${g.release.s3.bucket}/${g.release.s3.prefix ?? ""}` : `ecr ${g.release.ecr?.repository}`}`] : [];
  if (g.computePlatform === "Server") return [];
  const ready = g.blueGreen.readyWait;
  return [
    `  production route   ${g.ecs.prodTrafficRoute.listenerArn}`,
    `  test route         ${g.ecs.testTrafficRoute?.listenerArn ?? "none (AfterAllowTestTraffic skipped)"}`,
    `  ready wait         ${ready ? `${ready.waitMinutes} min, then ${ready.actionOnTimeout}` : "none"}`,
    `  termination wait   ${g.blueGreen.terminationWaitMinutes} min`,
  ];
}

function show(g: DeploymentGroup): string[] {
  const watched = g.computePlatform === "Server" ? "none (Server deployments watch no alarms yet)" : `${g.alarms.length ? g.alarms.join(", ") : "none"}${g.ignorePollAlarmFailure ? " (poll failures ignored)" : ""}, watched by ${g.alarmMonitoring}`;
  return [
    `${g.application}/${g.deploymentGroup}  (id ${g.id})`,
    ...(g.description ? [`  ${g.description}`] : []),
    `  compute platform   ${g.computePlatform} (state machine ${MACHINE_OF[g.computePlatform]})`,
    `  target             ${targetOf(g)}`,
    `  deployment config  ${g.deploymentConfigName}`,
    `  hooks              ${hooksOf(g)}`,
    `  alarms             ${watched}`,
    ...(g.computePlatform === "Server" ? [] : [`  auto rollback      ${g.autoRollback.enabled ? g.autoRollback.events.join(", ") : "disabled"}`]),
    ...g.triggers.map((t) => `  trigger            ${t.triggerName} -> ${t.triggerTargetArn} on ${t.triggerEvents.join(", ")}`),
    ...(g.metricGates?.length ? [`  metric gates       ${g.metricGates.length}`] : []),
    ...(g.computePlatform === "Server" ? [] : [`  queue              ${g.queue ? "wait in line" : "fail fast when busy"}`]),
    ...platformLines(g),
  ];
}

export default async function groups(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { stage: { type: "string" }, json: { type: "boolean" } }, allowPositionals: true });
  const [sub, ...rest] = positionals;
  const stage = values.stage ?? io.env.STEPDEPLOY_STAGE ?? "dev";
  if (sub !== "validate" && sub !== "list" && sub !== "show") {
    io.err(USAGE);
    return ExitCode.Usage;
  }
  const name = sub === "show" ? rest.shift() : undefined;
  if (sub === "show" && !name?.includes("/")) throw new UsageError("groups show takes <application>/<group>");
  const file = groupsFile(rest[0], stage);
  let parsed: Groups;
  try {
    parsed = read(file);
  } catch (e) {
    if (!(e instanceof ValidationErrors)) throw e;
    if (values.json) io.out(JSON.stringify({ file, valid: false, problems: e.problems }));
    else for (const p of e.problems) io.err(`${p.field}: ${p.reason}`);
    return ExitCode.Failed;
  }
  if (sub === "validate") {
    let releases: ReturnType<typeof checkStageReleases>;
    try {
      releases = checkStageReleases(file, parsed);
    } catch (e) {
      if (!(e instanceof ValidationErrors)) throw e;
      if (values.json) io.out(JSON.stringify({ file, valid: false, problems: e.problems }));
      else for (const p of e.problems) io.err(`${p.field}: ${p.reason}`);
      return ExitCode.Failed;
    }
    const checked = releases ? `; release sources checked with ${releases.releasesFile} (${releases.fromGroups} from groups, ${releases.fromFile} from the file)` : "";
    io.out(values.json ? JSON.stringify({ file, valid: true, groups: parsed.groups.length, ...(releases ? { releases } : {}) }) : `${file}: valid, ${parsed.groups.length} deployment group${parsed.groups.length === 1 ? "" : "s"}${checked}`);
    return ExitCode.Ok;
  }
  if (sub === "list") {
    if (values.json) io.out(JSON.stringify(parsed.groups));
    else if (!parsed.groups.length) io.out(`${file}: no deployment groups`);
    else for (const g of parsed.groups) io.out(row(g));
    return ExitCode.Ok;
  }
  const [application = "", group = ""] = (name ?? "").split("/");
  let found: DeploymentGroup;
  try {
    found = findGroup(parsed, application, group);
  } catch (e) {
    io.err((e as Error).message);
    return ExitCode.Failed;
  }
  if (values.json) io.out(JSON.stringify(found));
  else for (const l of show(found)) io.out(l);
  return ExitCode.Ok;
}
