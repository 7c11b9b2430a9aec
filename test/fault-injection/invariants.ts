import type { DeploymentRecord } from "../../functions/domain/registry/types.js";
import type { SimulationReport } from "../../local/simulate/run-scenario.js";

/** An alias write as the simulated account recorded it (`account.aliasHistory`). */
export interface AliasWrite {
  atSeconds: number;
  operation: string;
  functionVersion: string;
  additionalVersionWeights: Record<string, number>;
}

/**
 * What must hold after any deployment, whatever failed along the way:
 *  - traffic is 100% on the new version (SUCCEEDED) or 100% on the old one, or exactly what
 *    `stop --no-rollback` asked for, or what another writer set: never split at the end by us;
 *  - no write over another writer's change: after someone else wrote the alias, the deployment never did;
 *  - the registry agrees with the alias, and with the one deployment on this traffic target;
 *  - the target's lock is released;
 *  - every failure is named (`Deploy.*`), and the notifications have exactly one terminal event
 *    (none if the deployment never started).
 */
export function invariantViolations(r: SimulationReport, writes: readonly AliasWrite[]): string[] {
  const v: string[] = [];
  const alias = r.finalAlias ?? { functionVersion: "(no alias)", additionalVersionWeights: {} };
  const whole = Object.keys(alias.additionalVersionWeights).length === 0;
  const terminal = r.events.filter((e) => e.detail.state !== "START");
  const last = terminal.at(-1)?.detail as { state?: string; rollback?: boolean } | undefined;
  const other = writes.findIndex((w) => w.operation === "timeline");
  if (other >= 0) {
    const after = writes.slice(other + 1).filter((w) => w.operation !== "timeline");
    if (after.length) v.push(`wrote over another writer's change: ${JSON.stringify(after)}`);
  }
  const otherWrote = other >= 0;
  if (r.status === "SUCCEEDED") {
    if (!otherWrote && !(whole && alias.functionVersion === "4")) v.push(`succeeded but alias is ${JSON.stringify(alias)}`);
    if (r.registry.status !== "Succeeded") v.push(`succeeded but registry says ${r.registry.status}`);
  } else if (r.error === "Deploy.StoppedWithoutRollback" || (r.error === "Deploy.TrafficConflict" && otherWrote)) {
    if (r.events.length > 0 && !["Stopped", "Failed"].includes(String(r.registry.status))) v.push(`${r.error} but registry says ${r.registry.status}`);
    if (last?.rollback !== false) v.push(`${r.error} but the event claims a rollback`);
  } else {
    if (!otherWrote && !(whole && alias.functionVersion === "3")) v.push(`${r.status} ${r.error} but alias is ${JSON.stringify(alias)}`);
    if (r.events.length > 0 && !["Failed", "Stopped"].includes(String(r.registry.status))) v.push(`${r.status} ${r.error} but registry says ${r.registry.status}`);
  }
  if (otherWrote && !(whole && alias.functionVersion === "2")) v.push(`another writer set version 2, but the alias ended ${JSON.stringify(alias)}`);
  if (r.status === "FAILED" && !r.error?.startsWith("Deploy.")) v.push(`failed with an unnamed error ${r.error}`);
  if (r.registry.lockHolder) v.push(`lock still held by ${r.registry.lockHolder}`);
  if (r.events.length > 0 && terminal.length !== 1) v.push(`expected one terminal event, got ${JSON.stringify(r.events.map((e) => e.detail.state))}`);
  return v;
}

/** Never two deployments on one traffic target: the InProgress windows of its deployments do not overlap. */
export function overlappingDeployments(records: readonly (DeploymentRecord | undefined)[]): string[] {
  const windows = records.flatMap((r) => (r?.startTime ? [{ id: r.deploymentId, from: r.startTime, to: r.endTime ?? "9999" }] : []));
  const v: string[] = [];
  for (const [i, a] of windows.entries()) for (const b of windows.slice(i + 1)) if (a.from < b.to && b.from < a.to) v.push(`${a.id} (${a.from}..${a.to}) and ${b.id} (${b.from}..${b.to}) held the target at once`);
  return v;
}
