/** CodeDeploy's lifecycle statuses and diagnostics codes (codedeploy-spec §3.9). */
export type EventStatus = "Succeeded" | "Failed" | "Skipped";
export type ScriptErrorCode = "ScriptMissing" | "ScriptNotExecutable" | "ScriptTimedOut" | "ScriptFailed" | "UnknownError";

export interface EventResult {
  event: string;
  status: EventStatus;
  /** Failed events only. */
  errorCode?: ScriptErrorCode;
  message?: string;
}

const LINE = /^\[stepdeploy\] event=(\w+) status=(Succeeded|Failed|Skipped)(?: (.*))?$/;

/**
 * The per-event results an instance script printed (bash-runtime.ts `sd_status`), in order. The workflow reads them
 * from the command's output to record each instance's lifecycle events the way CodeDeploy lists them.
 */
export function parseInstallOutput(stdout: string): EventResult[] {
  const out: EventResult[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const result: EventResult = { event: m[1]!, status: m[2] as EventStatus };
    if (result.status === "Failed") {
      const detail = /^code=(\w+) message=(.*)$/.exec(m[3] ?? "");
      result.errorCode = (detail?.[1] as ScriptErrorCode | undefined) ?? "UnknownError";
      result.message = detail?.[2] ?? m[3] ?? "";
    }
    out.push(result);
  }
  return out;
}
