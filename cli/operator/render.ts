import type { DeploymentRecord } from "../../functions/domain/registry/index.js";

const BAR = 30;

/** `[#########.....................]  30%` */
export function weightBar(weight: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, weight)) / 100) * BAR);
  return `[${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${String(weight).padStart(3)}%`;
}

/** Colour only on a terminal (NO_COLOR respected). */
export function paint(isTTY: boolean, env: NodeJS.ProcessEnv) {
  const on = isTTY && !env.NO_COLOR;
  const c = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { green: c(32), red: c(31), yellow: c(33), dim: c(2), bold: c(1) };
}

export interface StatusView {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  status: string;
  config: string;
  target: Record<string, unknown>;
  weight?: number;
  step?: number;
  totalSteps?: number;
  paused: boolean;
  /** Waiting in the group's queue (`queue: true`, not started yet). */
  queued: boolean;
  control: Record<string, unknown>;
  errorName?: string;
  reason?: string;
  executionStatus?: string;
  createTime: string;
  endTime?: string;
  platform: string;
  /** Server deployments: instances per status (CodeDeploy's deploymentOverview). */
  instances?: Record<string, number>;
  rollbackInfo?: DeploymentRecord["rollbackInfo"];
}

export function statusView(r: DeploymentRecord, executionStatus?: string): StatusView {
  return {
    deploymentId: r.deploymentId,
    application: r.application,
    deploymentGroup: r.deploymentGroup,
    status: r.status,
    config: r.deploymentConfigName,
    target: r.target as Record<string, unknown>,
    weight: r.progress?.weight,
    step: r.progress?.step,
    totalSteps: r.progress?.totalSteps,
    paused: r.control.paused,
    queued: r.queued === true && r.status === "Created",
    control: r.control as unknown as Record<string, unknown>,
    errorName: r.errorName,
    reason: r.reason,
    executionStatus,
    createTime: r.createTime,
    endTime: r.endTime,
    platform: r.platform,
    ...(r.progress?.instances ? { instances: r.progress.instances } : {}),
    ...(r.rollbackInfo ? { rollbackInfo: r.rollbackInfo } : {}),
  };
}

/** A server deployment's instance counts, as one phrase. */
export function instancesLine(i: Record<string, number> | undefined): string {
  return i ? `instances: ${i.total} total, ${i.succeeded} succeeded, ${i.failed} failed, ${i.pending} pending, ${i.skipped} skipped` : "";
}

/** CodeDeploy's rollbackInfo, both directions, as one phrase ("" when there is none). */
export function rollbackLine(r: StatusView["rollbackInfo"]): string {
  if (!r) return "";
  const parts = [r.rollbackDeploymentId ? `rolled back by ${r.rollbackDeploymentId}` : "", r.rollbackTriggeringDeploymentId ? `rollback of ${r.rollbackTriggeringDeploymentId}` : "", r.rollbackMessage ?? ""];
  return parts.filter(Boolean).join("; ");
}

export function renderStatus(v: StatusView, p: ReturnType<typeof paint>): string[] {
  const t = v.target as { functionName?: string; alias?: string; currentVersion?: string; targetVersion?: string };
  const colour = v.status === "Succeeded" ? p.green : v.status === "Failed" || v.status === "Stopped" ? p.red : p.yellow;
  const head = `${p.bold(v.deploymentId)}  ${colour(v.status)}${v.paused ? p.yellow(" (paused)") : ""}${v.queued ? p.yellow(" (waiting in the group's queue)") : ""}  ${v.application}/${v.deploymentGroup}  ${v.config}`;
  if (v.platform === "Server") {
    const r = (v.target as { revision?: { bucket?: string; key?: string } }).revision;
    const lines = [head, `  s3://${r?.bucket}/${r?.key}${v.instances ? `  ${instancesLine(v.instances)}` : ""}`];
    if (v.rollbackInfo) lines.push(`  ${rollbackLine(v.rollbackInfo)}`);
    if (v.errorName) lines.push(`  ${p.red(v.errorName)}: ${v.reason ?? ""}`);
    return lines;
  }
  const lines = [head, `  ${t.functionName}:${t.alias}  ${t.currentVersion ? `v${t.currentVersion}` : "(the alias's version at start)"} -> v${t.targetVersion}`];
  if (v.weight !== undefined) {
    const steps = v.totalSteps ? ` step ${(v.step ?? 0) + 1}/${v.totalSteps}` : "";
    lines.push(`  ${weightBar(v.weight)} on v${t.targetVersion}${steps}`);
  }
  if (v.errorName) lines.push(`  ${p.red(v.errorName)}: ${v.reason ?? ""}`);
  return lines;
}
