import type { Checker, Json } from "../shared/checker.js";

/**
 * Scripted behaviour of a function in the simulated account (a CodeDeploy hook or any user
 * function): a list of results consumed one per invocation, the last one repeating.
 *  - `{status: "Succeeded"}` / `{status: "Failed", reason}`: the function returns that object
 *    (stepdeploy's hook contract, docs/hooks.md);
 *  - `{throw: "message", errorType?}`: the function throws; Invoke answers with
 *    X-Amz-Function-Error: Unhandled and `{errorType, errorMessage, trace}`;
 *  - `{return: <any JSON>}`: the function returns that value.
 * Each result may carry its own `latencySeconds` (simulated), overriding the function's.
 */
export type ScriptedResult = (
  | { status: "Succeeded" }
  | { status: "Failed"; reason?: string }
  | { throw: string; errorType?: string }
  | { return: unknown }
) & { latencySeconds?: number };

export interface Script {
  results: ScriptedResult[];
  cursor: number;
  latencySeconds: number;
}

/** The result for the next invocation (the last one repeats); undefined when nothing is scripted. */
export function takeResult(script: Script): ScriptedResult | undefined {
  if (script.results.length === 0) return undefined;
  const r = script.results[Math.min(script.cursor, script.results.length - 1)];
  script.cursor += 1;
  return r;
}

export function describeResult(r: ScriptedResult | undefined): string {
  if (!r) return "returned null";
  if ("throw" in r) return `threw ${r.errorType ?? "Error"}: ${r.throw}`;
  if ("return" in r) return `returned ${JSON.stringify(r.return)?.slice(0, 120)}`;
  return r.status === "Failed" ? `Failed: ${r.reason ?? "(no reason)"}` : "Succeeded";
}

export function parseResults(raw: unknown, field: string, c: Checker): ScriptedResult[] | undefined {
  if (raw === undefined) return undefined;
  const list = c.array(raw, field);
  if (Array.isArray(raw) && raw.length === 0) c.fail(field, "must list at least one result");
  const out: ScriptedResult[] = [];
  list.forEach((item, i) => {
    const f = `${field}[${i}]`;
    const o: Json | undefined = c.object(item, f, ["status", "reason", "throw", "errorType", "return", "latencySeconds"]);
    if (!o) return;
    const latencySeconds = c.number(o, "latencySeconds", f, { min: 0 });
    const extra = latencySeconds === undefined ? {} : { latencySeconds };
    const kinds = ["status", "throw", "return"].filter((k) => k in o);
    if (kinds.length !== 1) {
      c.fail(f, "must have exactly one of status, throw, return");
      return;
    }
    if ("status" in o) {
      const status = c.string(o, "status", f, { oneOf: ["Succeeded", "Failed"] });
      const reason = c.string(o, "reason", f);
      if ("errorType" in o) c.fail(`${f}.errorType`, "only applies to throw");
      if (status === "Succeeded") {
        if (reason !== undefined) c.fail(`${f}.reason`, "only applies to status Failed");
        out.push({ status, ...extra });
      } else if (status === "Failed") out.push(reason === undefined ? { status, ...extra } : { status, reason, ...extra });
    } else if ("throw" in o) {
      const message = c.string(o, "throw", f);
      const errorType = c.string(o, "errorType", f);
      if ("reason" in o) c.fail(`${f}.reason`, "only applies to status Failed");
      if (message !== undefined) out.push(errorType ? { throw: message, errorType, ...extra } : { throw: message, ...extra });
    } else {
      for (const k of ["reason", "errorType"]) if (k in o) c.fail(`${f}.${k}`, "does not apply to return");
      out.push({ return: o.return, ...extra });
    }
  });
  return out;
}
