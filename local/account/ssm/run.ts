import type { InstanceBehaviour, ManagedInstance } from "./model.js";

/** What a simulated instance does with one command: the output, exit code and simulated duration. */
export interface ScriptRun {
  output: string;
  exitCode: number;
  seconds: number;
  /** SSM's executionTimeout ended it (status TimedOut, ExecutionTimedOut). */
  timedOut: boolean;
  /** The deployment it records as the instance's last successful install, when it ran to the end. */
  records?: string;
}

const HEADER = /^# stepdeploy (\S+): (.*)$/m;
const PREVIOUS = new Set(["BeforeBlockTraffic", "AfterBlockTraffic", "ApplicationStop"]);

/**
 * Runs a stepdeploy instance script (functions/domain/server-install) the way the instance would, from its header
 * (`# stepdeploy <deployment>: <events>`) and its hook calls, printing the same status lines: the block-traffic hooks
 * and ApplicationStop are Skipped until a revision installed successfully; `behaviour` scripts failures and hangs.
 * Any other script succeeds at once with no output.
 */
export function runScript(script: string, instance: ManagedInstance, executionTimeoutSeconds: number): ScriptRun {
  const header = HEADER.exec(script);
  if (!header) return { output: "", exitCode: 0, seconds: 1, timedOut: false };
  const deploymentId = header[1]!;
  const events = header[2]!.split(", ");
  // Events run from the last successful revision: ApplicationStop and the block-traffic hooks, and in a rollback's
  // restore command the allow-traffic hooks too (the script calls sd_previous / Invoke-Previous for them).
  const previous = new Set([...PREVIOUS, ...[...script.matchAll(/^(?:sd_previous|Invoke-Previous) '?(\w+)'?\r?$/gm)].map((m) => m[1]!)]);
  const bundleKey = /^(?:export BUNDLE_KEY=|\$env:BUNDLE_KEY = )'([^']*)'/m.exec(script)?.[1];
  const b = instance.behaviour;
  const applies = (rule?: { event: string; bundleKey?: string }) => (event: string) => rule?.event === event && (rule.bundleKey === undefined || rule.bundleKey === bundleKey);
  const lines: string[] = [];
  let seconds = 0;
  const end = (exitCode: number, records?: string): ScriptRun => {
    if (seconds > executionTimeoutSeconds) return { output: lines.join("\n"), exitCode: -1, seconds: executionTimeoutSeconds, timedOut: true };
    return { output: `${lines.join("\n")}\n`, exitCode, seconds: Math.max(seconds, 1), timedOut: false, records };
  };
  for (const event of events) {
    if (previous.has(event) && !instance.lastSuccessful) {
      lines.push(`[stepdeploy] event=${event} status=Skipped reason=no-previous-revision`);
      continue;
    }
    if (applies(b.hang)(event)) {
      const timeout = hookTimeout(script, event);
      seconds += timeout;
      lines.push(`[stepdeploy] event=${event} status=Failed code=ScriptTimedOut message=Script at specified location: ${hookLocation(script, event)} failed to complete in ${timeout} seconds`);
      return end(1);
    }
    seconds += b.eventSeconds;
    if (applies(b.fail)(event)) {
      lines.push(`[stepdeploy] event=${event} status=Failed code=ScriptFailed message=Script at specified location: ${hookLocation(script, event)} failed with exit code ${b.fail?.exitCode ?? 1}`);
      return end(1);
    }
    lines.push(`[stepdeploy] event=${event} status=Succeeded${previous.has(event) ? ` revision=${instance.lastSuccessful}` : ""}`);
  }
  const final = /^(sd_finish|Complete-Install)$/m.test(script);
  if (final) lines.push(`[stepdeploy] revision=${deploymentId} recorded as the last successful install`);
  return end(0, final ? deploymentId : undefined);
}

const hookLine = (script: string, event: string) => new RegExp(`^\\s*(?:sd_run|Invoke-Hook) '?${event}'? \\S+ '([^']*)' (\\d+)`, "m").exec(script);

/** The first script timeout of the event (3600, the agent's default, when the event has none). */
function hookTimeout(script: string, event: string): number {
  return Number(hookLine(script, event)?.[2] ?? 3600);
}

function hookLocation(script: string, event: string): string {
  return hookLine(script, event)?.[1] ?? `(${event})`;
}

export const DEFAULT_BEHAVIOUR: InstanceBehaviour = { eventSeconds: 2 };
