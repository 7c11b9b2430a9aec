import { ValidationError } from "../errors.js";
import { DeploymentAlreadyCompletedError, InvalidStatusTransitionError } from "./errors.js";
import { checkDeploymentId } from "./model.js";
import {
  type ControlIntent,
  type JsonMap,
  type ControlState,
  type DeploymentRecord,
  type DeploymentStatus,
  type FinalStatus,
  isFinalStatus,
  type Progress,
  type RollbackInfo,
} from "./types.js";

/**
 * Every change to a deployment record is decided here, purely: given the current record and a request, either
 * `apply` a new record (version + 1), or `noop` (the request is already satisfied: idempotent re-invocation),
 * or throw a named error. The store then writes the new record only if the version it read is still current.
 */
export type Decision = { kind: "apply"; record: DeploymentRecord } | { kind: "noop"; record: DeploymentRecord };

/**
 * The lifecycle. Created → InProgress → Succeeded | Failed | Stopped, plus Created → Failed | Stopped for a
 * deployment that ends before it starts (validation failed, stopped while queued). Final statuses are final.
 */
export const TRANSITIONS: Readonly<Record<DeploymentStatus, readonly DeploymentStatus[]>> = {
  Created: ["InProgress", "Failed", "Stopped"],
  InProgress: ["Succeeded", "Failed", "Stopped"],
  Succeeded: [],
  Failed: [],
  Stopped: [],
};

/** A deployment's final config, target and alarm override, known once it checked the account (after any wait in line). */
export interface QueuedSettings {
  deploymentConfigName: string;
  target: JsonMap;
  overrideAlarms?: boolean;
}

/** `settings`: see QueuedSettings (the start records the deployment before it reads the account). */
export type StatusChange = { to: "InProgress"; executionArn?: string; settings?: QueuedSettings } | { to: "Succeeded" } | { to: "Failed" | "Stopped"; errorName: string; reason: string };

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

function bump(record: DeploymentRecord, now: string, changes: Partial<DeploymentRecord>): DeploymentRecord {
  return { ...record, ...changes, updatedAt: now, version: record.version + 1 };
}

function nonEmpty(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new ValidationError(field, "is required");
  return value;
}

/**
 * Status changes. Asking for the status the record already has is a no-op (the first write's times, error and
 * reason are kept), so a retried Task cannot double-record. A final status never changes again.
 */
export function decideStatusChange(current: DeploymentRecord, change: StatusChange, now: string): Decision {
  const { to } = change;
  if (current.status === to) return { kind: "noop", record: current };
  if (isFinalStatus(current.status)) throw new DeploymentAlreadyCompletedError(current.deploymentId, current.status, `become ${to}`);
  if (!canTransition(current.status, to)) throw new InvalidStatusTransitionError(current.deploymentId, current.status, to);
  switch (change.to) {
    case "InProgress":
      return {
        kind: "apply",
        record: bump(current, now, {
          status: "InProgress",
          startTime: now,
          ...(change.executionArn ? { executionArn: change.executionArn } : {}),
          ...(change.settings
            ? {
                deploymentConfigName: change.settings.deploymentConfigName,
                target: JSON.parse(JSON.stringify(change.settings.target)) as JsonMap,
                overrideAlarms: change.settings.overrideAlarms ?? current.overrideAlarms,
              }
            : {}),
        }),
      };
    case "Succeeded":
      return {
        kind: "apply",
        record: bump(current, now, { status: "Succeeded", endTime: now }),
      };
    default: {
      const errorName = nonEmpty(change.errorName, "errorName");
      const reason = nonEmpty(change.reason, "reason");
      return {
        kind: "apply",
        record: bump(current, now, {
          status: change.to satisfies FinalStatus,
          endTime: now,
          errorName,
          reason,
        }),
      };
    }
  }
}

export type ControlChange = { intent: Exclude<ControlIntent, "stop">; by: string } | { intent: "stop"; by: string; rollback?: boolean };

/**
 * Operator intents. Only a deployment that has not finished accepts them (CodeDeploy's StopDeployment answers
 * DeploymentAlreadyCompletedException, spec §5.4). Stop and promote are sticky (first request wins); pause and
 * resume toggle `paused`; once a stop is requested, other intents are no-ops.
 */
export function decideControlRequest(current: DeploymentRecord, change: ControlChange, now: string): Decision {
  if (isFinalStatus(current.status)) throw new DeploymentAlreadyCompletedError(current.deploymentId, current.status, `request ${change.intent}`);
  const by = nonEmpty(change.by, "requestedBy");
  const request = { requestedBy: by, requestedAt: now };
  const c = current.control;
  const noop: Decision = { kind: "noop", record: current };
  let control: ControlState;
  switch (change.intent) {
    case "stop":
      if (c.stopRequested) return noop;
      control = {
        ...c,
        stopRequested: { ...request, rollback: change.rollback ?? false },
      };
      break;
    case "promote":
      if (c.stopRequested || c.promoteRequested) return noop;
      control = { ...c, promoteRequested: request };
      break;
    case "pause":
      if (c.stopRequested || c.paused) return noop;
      control = { ...c, paused: true, pauseRequested: request };
      break;
    case "resume":
      if (c.stopRequested || !c.paused) return noop;
      control = { ...c, paused: false, resumeRequested: request };
      break;
    default:
      throw new ValidationError("intent", `must be one of pause, resume, promote, stop`);
  }
  return { kind: "apply", record: bump(current, now, { control }) };
}

export type ProgressReport = Omit<Progress, "updatedAt">;

/**
 * Traffic position for status views. Recorded only while InProgress: a late report from a retried step after the
 * deployment ended is dropped (no-op), as is a report that changes nothing.
 */
export function decideProgress(current: DeploymentRecord, report: ProgressReport, now: string): Decision {
  if (typeof report.weight !== "number" || !(report.weight >= 0 && report.weight <= 100)) throw new ValidationError("weight", "must be a number from 0 to 100");
  if (!Number.isInteger(report.step) || report.step < 0) throw new ValidationError("step", "must be a whole number >= 0");
  if (report.totalSteps !== undefined && (!Number.isInteger(report.totalSteps) || report.totalSteps < report.step)) {
    throw new ValidationError("totalSteps", "must be a whole number >= step");
  }
  if (current.status !== "InProgress") return { kind: "noop", record: current };
  const p = current.progress;
  if (p && p.weight === report.weight && p.step === report.step && p.totalSteps === report.totalSteps && p.note === report.note && JSON.stringify(p.instances) === JSON.stringify(report.instances)) {
    return { kind: "noop", record: current };
  }
  const progress: Progress = {
    weight: report.weight,
    step: report.step,
    ...(report.totalSteps !== undefined ? { totalSteps: report.totalSteps } : {}),
    ...(report.note !== undefined ? { note: report.note } : {}),
    ...(report.instances !== undefined ? { instances: { ...report.instances } } : {}),
    updatedAt: now,
  };
  return { kind: "apply", record: bump(current, now, { progress }) };
}

/**
 * CodeDeploy's rollbackInfo (spec §5.3). The two ids are write-once (a deployment is rolled back at most once, and
 * a rollback has one trigger); the message is the rollback's latest state and may change. Allowed in any status:
 * the original deployment is usually already Failed/Stopped when its rollback is recorded.
 */
export function decideRollbackInfo(current: DeploymentRecord, patch: RollbackInfo, now: string): Decision {
  const before = current.rollbackInfo ?? {};
  const next: RollbackInfo = { ...before };
  for (const field of ["rollbackDeploymentId", "rollbackTriggeringDeploymentId"] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    checkDeploymentId(value, `rollbackInfo.${field}`);
    if (value === current.deploymentId) throw new ValidationError(`rollbackInfo.${field}`, "cannot name the deployment itself");
    if (before[field] !== undefined && before[field] !== value) {
      throw new ValidationError(`rollbackInfo.${field}`, `is already ${before[field]} on ${current.deploymentId}; it is set once`);
    }
    next[field] = value;
  }
  if (patch.rollbackMessage !== undefined) next.rollbackMessage = nonEmpty(patch.rollbackMessage, "rollbackInfo.rollbackMessage");
  const same =
    next.rollbackDeploymentId === before.rollbackDeploymentId &&
    next.rollbackTriggeringDeploymentId === before.rollbackTriggeringDeploymentId &&
    next.rollbackMessage === before.rollbackMessage;
  if (same) return { kind: "noop", record: current };
  return { kind: "apply", record: bump(current, now, { rollbackInfo: next }) };
}

/**
 * The invariants every stored record satisfies; the property tests check them after every operation. Returns the
 * violations (empty when the record is well-formed).
 */
export function recordViolations(r: DeploymentRecord): string[] {
  const v: string[] = [];
  const final = isFinalStatus(r.status);
  if (r.status === "Created" && (r.startTime || r.endTime)) v.push("Created has a startTime or endTime");
  if (r.status === "InProgress" && (!r.startTime || r.endTime)) v.push("InProgress needs a startTime and no endTime");
  if (r.status === "Succeeded" && !r.startTime) v.push("Succeeded without a startTime");
  if (final && !r.endTime) v.push(`${r.status} without an endTime`);
  if ((r.status === "Failed" || r.status === "Stopped") && (!r.errorName || !r.reason)) v.push(`${r.status} without errorName and reason`);
  if (!(r.status === "Failed" || r.status === "Stopped") && (r.errorName || r.reason)) v.push(`${r.status} with an errorName or reason`);
  if (r.version < 1 || !Number.isInteger(r.version)) v.push("version must be a whole number >= 1");
  if (r.progress && r.status === "Created") v.push("progress recorded before start");
  return v;
}
