import type { ServerPermission } from "../appspec/index.js";
import { BASH_RUNTIME } from "./bash-runtime.js";
import { hookEnvironment } from "./environment.js";
import { bashQuote as q } from "./quote.js";
import { PREVIOUS_REVISION_EVENTS, SAVED_HOOK_EVENTS } from "./segments.js";
import type { InstallCommand, ServerRevision } from "./types.js";

/**
 * The bash script one instance runs through SSM Run Command (AWS-RunShellScript) for one command of a deployment:
 * the agent's work without the agent. Per event, in CodeDeploy's order (codedeploy-spec §3.1): ApplicationStop and
 * the block-traffic hooks from the last successful revision on the instance (§3.2), DownloadBundle (the pinned S3
 * object, checked), Install (the agent's cleanup file, `files` with file_exists_behavior, `permissions`), and every
 * hook with its timeout, `runas` and CodeDeploy's environment variables (§3.6, §3.8).
 */
export function bashInstallScript(command: InstallCommand): string {
  const lines = [
    "#!/bin/bash",
    `# stepdeploy ${command.deploymentId}: ${command.events.join(", ")}`,
    "set -u",
    "umask 022",
    ...hookEnvironment(command).map(([k, v]) => `export ${k}=${q(v)}`),
    `ROOT=${q(command.deploymentRoot)}`,
    `KEEP_REVISIONS=${command.keepRevisions}`,
    BASH_RUNTIME,
  ];
  for (const event of command.events) lines.push(...eventSteps(event, command));
  if (command.final) lines.push("sd_finish");
  lines.push(`echo "[stepdeploy] done: ${command.events.join(" ")}"`, "");
  return lines.join("\n");
}

function eventSteps(event: string, command: InstallCommand): string[] {
  const header = `# ---- ${event}`;
  if (PREVIOUS_REVISION_EVENTS.has(event) || command.fromLastRevision) return [header, `sd_previous ${event}`];
  if (event === "DownloadBundle") return [header, ...download(command)];
  if (event === "Install") return [header, ...install(command)];
  const scripts = hookCalls(command.revision, event, '"$ARCHIVE"');
  return [header, `export LIFECYCLE_EVENT=${event}`, ...scripts, `sd_status ${event} Succeeded ${q(`scripts=${countScripts(command.revision, event)}`)}`];
}

function countScripts(revision: ServerRevision, event: string): number {
  return revision.hooks.find((h) => h.event === event)?.scripts.length ?? 0;
}

function hookCalls(revision: ServerRevision, event: string, base: string): string[] {
  const hook = revision.hooks.find((h) => h.event === event);
  return (hook?.scripts ?? []).map((s) => `sd_run ${event} ${base} ${q(s.location)} ${s.timeoutSeconds} ${q(s.runas ?? "")}`);
}

const EXTRACT: Record<InstallCommand["bundle"]["bundleType"], string> = {
  zip: 'unzip -q -o "$BUNDLE_FILE" -d "$ARCHIVE"',
  tar: 'tar -xf "$BUNDLE_FILE" -C "$ARCHIVE"',
  tgz: 'tar -xzf "$BUNDLE_FILE" -C "$ARCHIVE"',
};

/** DownloadBundle: GetObject pinned to the version and ETag with the instance's credentials, MD5 checked, unpacked. */
function download(command: InstallCommand): string[] {
  const version = command.bundle.version ? ' --version-id "$BUNDLE_VERSION"' : "";
  return [
    "export LIFECYCLE_EVENT=DownloadBundle",
    `BUNDLE_FILE="$DEPLOYMENT_DIR/bundle.${command.bundle.bundleType}"`,
    'rm -rf "$ARCHIVE" && mkdir -p "$ARCHIVE"',
    `aws s3api get-object --bucket "$BUNDLE_BUCKET" --key "$BUNDLE_KEY"${version} --if-match "$BUNDLE_ETAG" "$BUNDLE_FILE" >"$DEPLOYMENT_DIR/logs/get-object.json" 2>>"$LOG" || sd_fail DownloadBundle UnknownError "cannot fetch s3://$BUNDLE_BUCKET/$BUNDLE_KEY (ETag $BUNDLE_ETAG): see $LOG"`,
    'sd_check_etag "$BUNDLE_FILE"',
    `${EXTRACT[command.bundle.bundleType]} >>"$LOG" 2>&1 || sd_fail DownloadBundle UnknownError "cannot unpack the ${command.bundle.bundleType} bundle"`,
    '[ -f "$ARCHIVE/appspec.yml" ] || sd_fail DownloadBundle UnknownError "the bundle has no appspec.yml at its root"',
    'sd_status DownloadBundle Succeeded "bytes=$(wc -c <"$BUNDLE_FILE" | tr -d " ")"',
  ];
}

/** Install: remove the last install's files, copy `files` (file_exists_behavior), apply `permissions`, save the stop hooks. */
function install(command: InstallCommand): string[] {
  const { files, fileExistsBehavior, permissions } = command.revision;
  const out = ["export LIFECYCLE_EVENT=Install", "sd_cleanup"];
  if (fileExistsBehavior === "DISALLOW") for (const f of files) out.push(`sd_conflicts ${q(f.source)} ${q(f.destination)}`);
  for (const f of files) out.push(`sd_copy ${q(f.source)} ${q(f.destination)} ${fileExistsBehavior}`);
  for (const p of permissions) out.push(...permissionSteps(p));
  out.push(...previousHooksFile(command.revision), `sd_status Install Succeeded "files=$(wc -l <"$CLEANUP_FILE" | tr -d " ")"`);
  return out;
}

/**
 * One `permissions` entry: the object itself when it is a file; otherwise what lies under it whose name matches
 * `pattern` ("**" = everything), minus `except`, of the listed `type`s. SELinux `context` is applied with chcon.
 */
function permissionSteps(p: ServerPermission): string[] {
  const types = p.type.length === 1 ? ` -type ${p.type[0] === "file" ? "f" : "d"}` : "";
  const name = p.pattern === "**" ? "" : ` -name ${q(p.pattern)}`;
  const except = p.except.map((e) => ` ! -name ${q(e)}`).join("");
  const acls = (p.acls ?? []).map(q).join(" ");
  const permit = `sd_permit "$obj" ${q(p.owner ?? "")} ${q(p.group ?? "")} ${q(p.mode ?? "")}${acls ? ` ${acls}` : ""}`;
  const context = p.context ? [`  chcon ${p.context.user ? `-u ${q(p.context.user)} ` : ""}-t ${q(p.context.type)}${p.context.range ? ` -l ${q(p.context.range)}` : ""} "$obj" || sd_fail Install UnknownError "permissions: cannot set the SELinux context of $obj"`] : [];
  const fileApplies = p.type.includes("file") || p.type.length === 0;
  return [
    `if [ -f ${q(p.object)} ]; then`,
    ...(fileApplies ? [`  obj=${q(p.object)}`, `  ${permit}`, ...context] : ["  :"]),
    `elif [ -d ${q(p.object)} ]; then`,
    `  while IFS= read -r -d '' obj; do`,
    `  ${permit}`,
    ...context.map((c) => `  ${c}`),
    `  done < <(find ${q(p.object)} -mindepth 1${types}${name}${except} -print0)`,
    "else",
    `  sd_fail Install UnknownError ${q(`permissions: object ${p.object} does not exist after the files were copied`)}`,
    "fi",
  ];
}

/** The scripts this revision contributes when a later deployment stops it (ApplicationStop, block-traffic hooks) or a rollback restores it (allow-traffic hooks). */
function previousHooksFile(revision: ServerRevision): string[] {
  const body = SAVED_HOOK_EVENTS.flatMap((event) => [`sd_previous_${event}() {`, "  :", ...hookCalls(revision, event, '"$PREVIOUS/deployment-archive"').map((l) => `  ${l}`), "}"]);
  return [`cat >"$DEPLOYMENT_DIR/stepdeploy-hooks.sh" <<'SD_HOOKS'`, "# Written by stepdeploy: this revision's scripts for the events a later deployment runs from it.", ...body, "SD_HOOKS"];
}
