import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ControlChange,
  canTransition,
  type Decision,
  DEPLOYMENT_STATUSES,
  type DeploymentRecord,
  type DeploymentStatus,
  decideControlRequest,
  decideProgress,
  decideRollbackInfo,
  decideStatusChange,
  isFinalStatus,
  newDeploymentRecord,
  type ProgressReport,
  type RollbackInfo,
  recordViolations,
  type StatusChange,
  TRANSITIONS,
} from "../../../functions/domain/registry/index.js";

const T0 = "2026-01-01T00:00:00.000Z";
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function created(): DeploymentRecord {
  return newDeploymentRecord(
    {
      deploymentId: "d-AAAAAAAAA",
      application: "app",
      deploymentGroup: "grp",
      deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce",
      platform: "Lambda",
      target: { functionName: "f" },
    },
    T0,
  );
}

const change = (to: DeploymentStatus): StatusChange =>
  to === "Failed" || to === "Stopped" ? { to, errorName: "Deploy.HookFailed", reason: "hook said no" } : ({ to } as StatusChange);

/** Walks a record to `status` along the legal path. */
function at_(status: DeploymentStatus): DeploymentRecord {
  let r = created();
  const path: Record<DeploymentStatus, DeploymentStatus[]> = {
    Created: [],
    InProgress: ["InProgress"],
    Succeeded: ["InProgress", "Succeeded"],
    Failed: ["InProgress", "Failed"],
    Stopped: ["InProgress", "Stopped"],
  };
  for (const [i, s] of path[status].entries()) r = decideStatusChange(r, change(s), at(i + 1)).record;
  return r;
}

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as Error).name;
  }
  return undefined;
}

describe("status transition table", () => {
  const table: [DeploymentStatus, DeploymentStatus, "apply" | "noop" | string][] = [];
  for (const from of DEPLOYMENT_STATUSES) {
    for (const to of DEPLOYMENT_STATUSES) {
      const expected =
        from === to ? "noop" : isFinalStatus(from) ? "Deploy.DeploymentAlreadyCompleted" : canTransition(from, to) ? "apply" : "Deploy.InvalidStatusTransition";
      table.push([from, to, expected]);
    }
  }

  it("is the documented lifecycle", () => {
    expect(TRANSITIONS).toEqual({
      Created: ["InProgress", "Failed", "Stopped"],
      InProgress: ["Succeeded", "Failed", "Stopped"],
      Succeeded: [],
      Failed: [],
      Stopped: [],
    });
  });

  it.each(table)("%s -> %s: %s", (from, to, expected) => {
    const record = at_(from);
    let outcome: string;
    try {
      outcome = decideStatusChange(record, change(to), at(100)).kind;
    } catch (e) {
      outcome = (e as Error).name;
    }
    expect(outcome).toBe(expected);
  });

  it("a final status never goes back to InProgress, and says what it is", () => {
    for (const s of ["Succeeded", "Failed", "Stopped"] as const) {
      expect(() => decideStatusChange(at_(s), { to: "InProgress" }, at(9))).toThrow(`Deployment d-AAAAAAAAA is already ${s}; cannot become InProgress`);
    }
  });

  it("sets startTime on InProgress, endTime and error on Failed/Stopped, bumps the version", () => {
    const running = decideStatusChange(created(), { to: "InProgress", executionArn: "arn:exec" }, at(1));
    expect(running.kind).toBe("apply");
    expect(running.record).toMatchObject({
      status: "InProgress",
      startTime: at(1),
      executionArn: "arn:exec",
      version: 2,
      updatedAt: at(1),
    });
    const failed = decideStatusChange(
      running.record,
      {
        to: "Failed",
        errorName: "Deploy.AlarmTriggered",
        reason: "alarm Errors fired",
      },
      at(2),
    );
    expect(failed.record).toMatchObject({
      status: "Failed",
      startTime: at(1),
      endTime: at(2),
      errorName: "Deploy.AlarmTriggered",
      reason: "alarm Errors fired",
      version: 3,
    });
  });

  it("recording a final status twice keeps the first write", () => {
    const done = at_("Failed");
    const again = decideStatusChange(done, { to: "Failed", errorName: "Deploy.Other", reason: "other" }, at(50));
    expect(again).toEqual({ kind: "noop", record: done });
  });

  it("Failed and Stopped need an errorName and a reason", () => {
    expect(errorName(() => decideStatusChange(at_("InProgress"), { to: "Failed", errorName: "", reason: "x" }, at(5)))).toBe("Deploy.InvalidInput");
    expect(errorName(() => decideStatusChange(at_("InProgress"), { to: "Stopped", errorName: "Deploy.Stopped", reason: " " }, at(5)))).toBe(
      "Deploy.InvalidInput",
    );
  });
});

describe("control intents", () => {
  const by = "alice";
  it("pause/resume toggle, stop and promote are sticky, all refused once finished", () => {
    let r = at_("InProgress");
    const step = (c: ControlChange) => {
      const d = decideControlRequest(r, c, at(r.version + 10));
      r = d.record;
      return d.kind;
    };
    expect(step({ intent: "resume", by })).toBe("noop");
    expect(step({ intent: "pause", by })).toBe("apply");
    expect(r.control.paused).toBe(true);
    expect(step({ intent: "pause", by: "bob" })).toBe("noop");
    expect(r.control.pauseRequested?.requestedBy).toBe(by);
    expect(step({ intent: "resume", by: "bob" })).toBe("apply");
    expect(r.control).toMatchObject({
      paused: false,
      resumeRequested: { requestedBy: "bob" },
    });
    expect(step({ intent: "promote", by })).toBe("apply");
    expect(step({ intent: "promote", by: "bob" })).toBe("noop");
    expect(step({ intent: "stop", by, rollback: true })).toBe("apply");
    expect(r.control.stopRequested).toEqual({
      requestedBy: by,
      requestedAt: expect.any(String),
      rollback: true,
    });
    expect(step({ intent: "stop", by: "bob", rollback: false })).toBe("noop");
    expect(step({ intent: "pause", by })).toBe("noop");
    expect(r.control.stopRequested?.rollback).toBe(true);
    for (const s of ["Succeeded", "Failed", "Stopped"] as const) {
      expect(errorName(() => decideControlRequest(at_(s), { intent: "stop", by }, at(99)))).toBe("Deploy.DeploymentAlreadyCompleted");
    }
  });

  it("a Created (e.g. queued) deployment accepts a stop", () => {
    expect(decideControlRequest(created(), { intent: "stop", by }, at(1)).kind).toBe("apply");
  });
});

describe("progress and rollback info", () => {
  it("progress is recorded only while InProgress, and validated", () => {
    expect(decideProgress(created(), { weight: 10, step: 1 }, at(1)).kind).toBe("noop");
    const p = decideProgress(at_("InProgress"), { weight: 10, step: 1, totalSteps: 10 }, at(5));
    expect(p.record.progress).toEqual({
      weight: 10,
      step: 1,
      totalSteps: 10,
      updatedAt: at(5),
    });
    expect(decideProgress(p.record, { weight: 10, step: 1, totalSteps: 10 }, at(6)).kind).toBe("noop");
    expect(decideProgress(at_("Succeeded"), { weight: 100, step: 2 }, at(6)).kind).toBe("noop");
    expect(errorName(() => decideProgress(at_("InProgress"), { weight: 101, step: 1 }, at(5)))).toBe("Deploy.InvalidInput");
    expect(errorName(() => decideProgress(at_("InProgress"), { weight: 5, step: -1 }, at(5)))).toBe("Deploy.InvalidInput");
  });

  it("rollback ids are set once, the message may change, any status", () => {
    const failed = at_("Failed");
    const a = decideRollbackInfo(failed, { rollbackDeploymentId: "d-BBBBBBBBB", rollbackMessage: "in progress" }, at(10));
    expect(a.record.rollbackInfo).toEqual({
      rollbackDeploymentId: "d-BBBBBBBBB",
      rollbackMessage: "in progress",
    });
    expect(decideRollbackInfo(a.record, { rollbackDeploymentId: "d-BBBBBBBBB" }, at(11)).kind).toBe("noop");
    expect(decideRollbackInfo(a.record, { rollbackMessage: "succeeded" }, at(11)).record.rollbackInfo?.rollbackMessage).toBe("succeeded");
    expect(() => decideRollbackInfo(a.record, { rollbackDeploymentId: "d-CCCCCCCCC" }, at(11))).toThrow(/is already d-BBBBBBBBB/);
    expect(errorName(() => decideRollbackInfo(failed, { rollbackDeploymentId: "d-AAAAAAAAA" }, at(11)))).toBe("Deploy.InvalidInput");
    expect(errorName(() => decideRollbackInfo(failed, { rollbackTriggeringDeploymentId: "nope" }, at(11)))).toBe("Deploy.InvalidInput");
  });
});

// ------------------------------------------------------------------ property: random operation sequences

type Op =
  | { kind: "status"; change: StatusChange }
  | { kind: "control"; change: ControlChange }
  | { kind: "progress"; report: ProgressReport }
  | { kind: "rollback"; patch: RollbackInfo };

const ids = fc.constantFrom("d-BBBBBBBBB", "d-CCCCCCCCC", "d-AAAAAAAAA", "bad-id");
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom(...DEPLOYMENT_STATUSES).chain((to) =>
    to === "Failed" || to === "Stopped"
      ? fc
          .record({
            to: fc.constant(to),
            errorName: fc.constantFrom("Deploy.HookFailed", "Deploy.Stopped", ""),
            reason: fc.constantFrom("why", ""),
          })
          .map((change) => ({ kind: "status" as const, change }))
      : fc
          .record({
            to: fc.constant(to),
            executionArn: fc.option(fc.constant("arn:e"), { nil: undefined }),
          })
          .map((c) => ({
            kind: "status" as const,
            change: { ...c } as StatusChange,
          })),
  ),
  fc
    .record({
      intent: fc.constantFrom("pause", "resume", "promote", "stop" as const),
      by: fc.constantFrom("alice", "bob", ""),
      rollback: fc.boolean(),
    })
    .map((c) => ({ kind: "control" as const, change: c as ControlChange })),
  fc
    .record({
      weight: fc.integer({ min: -5, max: 105 }),
      step: fc.integer({ min: -1, max: 12 }),
    })
    .map((report) => ({ kind: "progress" as const, report })),
  fc
    .record({
      rollbackDeploymentId: fc.option(ids, { nil: undefined }),
      rollbackTriggeringDeploymentId: fc.option(ids, { nil: undefined }),
      rollbackMessage: fc.option(fc.constantFrom("in progress", "done"), {
        nil: undefined,
      }),
    })
    .map((patch) => ({ kind: "rollback" as const, patch })),
);

function decide(r: DeploymentRecord, op: Op, now: string): Decision {
  switch (op.kind) {
    case "status":
      return decideStatusChange(r, op.change, now);
    case "control":
      return decideControlRequest(r, op.change, now);
    case "progress":
      return decideProgress(r, op.report, now);
    case "rollback":
      return decideRollbackInfo(r, op.patch, now);
  }
}

const KNOWN_ERRORS = new Set(["Deploy.InvalidInput", "Deploy.InvalidStatusTransition", "Deploy.DeploymentAlreadyCompleted"]);

describe("property: random operation sequences never produce an illegal record", () => {
  it("invariants hold after every step; rejected ops change nothing; finals are final; applying twice is a no-op", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        let r = created();
        const seen: DeploymentStatus[] = [r.status];
        ops.forEach((op, i) => {
          const now = at(i + 1);
          let d: Decision;
          try {
            d = decide(r, op, now);
          } catch (e) {
            expect(KNOWN_ERRORS.has((e as Error).name), (e as Error).message).toBe(true);
            return; // rejected: r is unchanged by construction (pure)
          }
          if (d.kind === "noop") {
            expect(d.record).toBe(r);
          } else {
            expect(d.record.version).toBe(r.version + 1);
            expect(d.record.updatedAt).toBe(now);
            if (d.record.status !== r.status) expect(canTransition(r.status, d.record.status)).toBe(true);
            if (isFinalStatus(r.status)) expect(d.record.status).toBe(r.status);
            // Idempotence: the same op on the result changes nothing.
            expect(decide(d.record, op, at(i + 1000)).kind).toBe("noop");
            r = d.record;
          }
          expect(recordViolations(r)).toEqual([]);
          seen.push(r.status);
        });
        // The status history is a path of the lifecycle: never leaves a final status, never returns to Created.
        const firstFinal = seen.findIndex(isFinalStatus);
        if (firstFinal >= 0) expect(new Set(seen.slice(firstFinal)).size).toBe(1);
        const lastCreated = seen.lastIndexOf("Created");
        expect(seen.slice(0, lastCreated + 1).every((s) => s === "Created")).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
