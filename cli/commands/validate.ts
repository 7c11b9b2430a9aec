import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type AppSpecHook, type AppSpecIssue, type AppSpecResource, type AppSpecResult, PLATFORM_LABELS, PLATFORMS, type Platform, parseAppSpec } from "../../functions/domain/appspec/index.js";
import { BundleError, type BundleType, inspectBundle } from "../../functions/domain/bundles/index.js";
import { type Command, type CommandIO, ExitCode } from "../io.js";


const USAGE = `usage: stepdeploy validate <file> [--platform server|lambda|ecs] [--strict] [--json]

  <file>        appspec.yml / appspec.yaml / appspec.json, or a revision bundle (.zip, .tar, .tgz, .tar.gz)
  --platform    validate as this compute platform (default: detected from the content)
  --strict      refuse placeholders ({{X}}, \${X}, <X>) as a deployment does (default: a template, placeholders are warnings)
  --json        print one JSON document: {file, valid, platform, format, resources, hooks, placeholders, errors, warnings}

exit codes: 0 valid, 1 invalid, 2 usage error or unreadable file`;

const ARCHIVES: [RegExp, BundleType][] = [
  [/\.zip$/i, "zip"],
  [/\.(tgz|tar\.gz)$/i, "tgz"],
  [/\.tar$/i, "tar"],
];

class UsageError extends Error {}

/** The AppSpec text: the file itself, or the appspec at the root of a bundle (checked by the same rules as a deployment). */
async function readAppSpec(file: string): Promise<{ text: string; source: string }> {
  const archive = ARCHIVES.find(([re]) => re.test(file))?.[1];
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    // A bare file is read as a YAML/JSON revision: the same AppSpec size cap, checked before reading.
    const inspection = await inspectBundle({ path: file }, archive ?? (/\.json$/i.test(file) ? "JSON" : "YAML"));
    return archive ? { text: inspection.appSpec.text, source: `${file}!${inspection.appSpec.path}` } : { text: inspection.appSpec.text, source: file };
  } catch (e) {
    if (e instanceof BundleError) throw new UsageError(`cannot use ${archive ? "bundle " : ""}${file}: ${e.name}: ${e.message}`);
    if (archive) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function issueLine(i: AppSpecIssue): string {
  return `${i.line === undefined ? "" : `line ${i.line}: `}${i.path}: ${i.message}`;
}

function describeResource(r: AppSpecResource): string {
  switch (r.kind) {
    case "files":
      return `files        ${r.source} -> ${r.destination}`;
    case "lambda-function":
      return `function     ${r.name} alias ${r.alias}: version ${r.currentVersion ?? "(absent)"} -> ${r.targetVersion ?? "(absent)"}  (${r.logicalName})`;
    case "ecs-service": {
      const extra = [r.platformVersion && `platform ${r.platformVersion}`, r.networkConfiguration && `subnets ${r.networkConfiguration.subnets.join(",")}`].filter(Boolean);
      return `ecs service  ${r.logicalName}: ${r.taskDefinition}, container ${r.containerName}:${r.containerPort}${extra.length ? `, ${extra.join(", ")}` : ""}`;
    }
  }
}

function describeHook(h: AppSpecHook, n: number): string[] {
  if (h.kind === "function") return [`${n}. ${h.event.padEnd(22)} ${h.functionName}`];
  return [
    `${n}. ${h.event}`,
    ...h.scripts.map((s) => `     - ${s.location} (timeout ${s.timeoutSeconds} s${s.runas ? `, runas ${s.runas}` : ""})`),
  ];
}

function printHuman(io: CommandIO, file: string, r: AppSpecResult): void {
  const what = r.platform ? `${PLATFORM_LABELS[r.platform]} AppSpec (${r.format.toUpperCase()}, platform ${r.platformSource})` : `AppSpec (${r.format.toUpperCase()})`;
  if (!r.valid) {
    io.err(`${file}: invalid ${what}: ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}`);
    for (const e of r.errors) io.err(`  ${issueLine(e)}`);
    for (const w of r.warnings) io.err(`  warning: ${issueLine(w)}`);
    return;
  }
  io.out(`${file}: valid ${what}`);
  if (r.server) {
    io.out(`os: ${r.server.os}   file_exists_behavior: ${r.server.fileExistsBehavior}${r.server.fileExistsBehaviorGiven ? "" : " (default)"}   permissions: ${r.server.permissions.length}`);
  }
  io.out("resources:");
  if (r.resources.length === 0) io.out("  (none)");
  for (const res of r.resources) io.out(`  ${describeResource(res)}`);
  io.out("hooks, in execution order:");
  if (r.hooks.length === 0) io.out("  (none)");
  for (const [i, h] of r.hooks.entries()) {
    for (const line of describeHook(h, i + 1)) io.out(`  ${line}`);
  }
  if (r.placeholders.length > 0) io.out(`template: ${r.placeholders.length} placeholder${r.placeholders.length === 1 ? "" : "s"} to render before deploying (--strict refuses them)`);
  for (const w of r.warnings) io.out(`warning: ${issueLine(w)}`);
}

const validate: Command = async (argv, io) => {
  let values: { json?: boolean; platform?: string; strict?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: "boolean" }, platform: { type: "string" }, strict: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (e) {
    io.err(`stepdeploy validate: ${(e as Error).message}\n${USAGE}`);
    return ExitCode.Usage;
  }
  if (values.help) {
    io.out(USAGE);
    return ExitCode.Ok;
  }
  if (positionals.length !== 1) {
    io.err(`stepdeploy validate: expected exactly one file, got ${positionals.length}\n${USAGE}`);
    return ExitCode.Usage;
  }
  const platform = values.platform?.toLowerCase();
  if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform)) {
    io.err(`stepdeploy validate: --platform must be one of ${PLATFORMS.join(", ")}, got '${values.platform}'\n${USAGE}`);
    return ExitCode.Usage;
  }
  const file = positionals[0]!;
  let input: { text: string; source: string };
  try {
    input = await readAppSpec(file);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`stepdeploy validate: ${e.message}`);
    return ExitCode.Usage;
  }
  const result = parseAppSpec(input.text, { ...(platform ? { platform: platform as Platform } : {}), allowPlaceholders: !values.strict });
  if (values.json) {
    const { valid, platform: p, platformSource, format, resources, hooks, server, placeholders, errors, warnings } = result;
    io.out(JSON.stringify({ file: input.source, valid, platform: p ?? null, platformSource, format, resources, hooks, ...(server ? { server } : {}), placeholders, errors, warnings }));
  } else {
    printHuman(io, input.source, result);
  }
  return result.valid ? ExitCode.Ok : ExitCode.Failed;
};

export default validate;
