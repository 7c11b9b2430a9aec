import type { SimulationReport } from "../../local/simulate/run-scenario.js";

/**
 * What must hold after any deployment, whatever failed along the way:
 *  - traffic is 100% on the new version (SUCCEEDED) or 100% on the old one, or exactly what
 *    `stop --no-rollback` asked for;
 *  - the registry agrees with the alias;
 *  - the group's lock is free;
 *  - the notifications have exactly one terminal event (none if the deployment never started).
 */
export function invariantViolations(r: SimulationReport): string[] {
  const v: string[] = [];
  const alias = r.finalAlias ?? { functionVersion: "(no alias)", additionalVersionWeights: {} };
  const whole = Object.keys(alias.additionalVersionWeights).length === 0;
  const terminal = r.events.filter((e) => e.detail.state !== "START");
  const last = terminal.at(-1)?.detail as { state?: string; rollback?: boolean } | undefined;
  if (r.status === "SUCCEEDED") {
    if (!(whole && alias.functionVersion === "4")) v.push(`succeeded but alias is ${JSON.stringify(alias)}`);
    if (r.registry.status !== "Succeeded") v.push(`succeeded but registry says ${r.registry.status}`);
  } else if (r.error === "Deploy.StoppedWithoutRollback") {
    if (r.registry.status !== "Stopped") v.push(`stopped without rollback but registry says ${r.registry.status}`);
    if (last?.rollback !== false) v.push("stopped without rollback but the event claims a rollback");
  } else {
    if (!(whole && alias.functionVersion === "3")) v.push(`${r.status} ${r.error} but alias is ${JSON.stringify(alias)}`);
    if (r.events.length > 0 && !["Failed", "Stopped"].includes(String(r.registry.status))) v.push(`${r.status} ${r.error} but registry says ${r.registry.status}`);
  }
  if (r.registry.lockHolder) v.push(`lock still held by ${r.registry.lockHolder}`);
  if (r.events.length > 0 && terminal.length !== 1) v.push(`expected one terminal event, got ${JSON.stringify(r.events.map((e) => e.detail.state))}`);
  return v;
}
