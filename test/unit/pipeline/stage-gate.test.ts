import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrive, canRetryAt, disableTransition, enableTransition, type GateDecision, openGate, release, type StageGate, type Waiter } from "../../../functions/domain/pipeline/execution/index.js";
import type { ExecutionMode } from "../../../functions/domain/pipeline/index.js";

const w = (id: string): Waiter => ({ executionId: id, token: `token-${id}` });

describe("stage gate: CodePipeline's stage locks", () => {
  it("SUPERSEDED: the first enters; a second waits; a third replaces the second, which is superseded", () => {
    let d = arrive(openGate(), w("e1"), "SUPERSEDED");
    expect(d).toMatchObject({ entered: true, supersede: [] });
    d = arrive(d.gate, w("e2"), "SUPERSEDED");
    expect(d).toMatchObject({ entered: false, supersede: [] });
    d = arrive(d.gate, w("e3"), "SUPERSEDED");
    expect(d).toMatchObject({ entered: false, supersede: [w("e2")] });
    expect(d.gate).toEqual({ holder: "e1", waiting: [w("e3")], transition: { enabled: true }, lastEntered: "e1" });
    d = release(d.gate, "e1", "SUPERSEDED");
    expect(d.admit).toEqual([w("e3")]);
    expect(d.gate.holder).toBe("e3");
  });

  it("QUEUED: nobody is superseded; waiting executions enter first come, first served", () => {
    let d = arrive(openGate(), w("e1"), "QUEUED");
    d = arrive(d.gate, w("e2"), "QUEUED");
    d = arrive(d.gate, w("e3"), "QUEUED");
    expect(d.supersede).toEqual([]);
    d = release(d.gate, "e1", "QUEUED");
    expect(d.admit).toEqual([w("e2")]);
    d = release(d.gate, "e2", "QUEUED");
    expect(d.admit).toEqual([w("e3")]);
  });

  it("PARALLEL: stages do not serialise executions", () => {
    let d = arrive(openGate(), w("e1"), "PARALLEL");
    d = arrive(d.gate, w("e2"), "PARALLEL");
    expect(d.entered).toBe(true);
    expect(d.gate.holder).toBeUndefined();
  });

  it.each<ExecutionMode>(["SUPERSEDED", "QUEUED", "PARALLEL"])("%s: a disabled inbound transition holds arrivals until it is enabled", (mode) => {
    let gate: StageGate = disableTransition(openGate(), "release freeze");
    let d = arrive(gate, w("e1"), mode);
    expect(d.entered).toBe(false);
    d = arrive(d.gate, w("e2"), mode);
    expect(d.supersede).toEqual(mode === "SUPERSEDED" ? [w("e1")] : []);
    gate = d.gate;
    d = enableTransition(gate, mode);
    expect(d.admit).toEqual(mode === "PARALLEL" ? [w("e1"), w("e2")] : [mode === "SUPERSEDED" ? w("e2") : w("e1")]);
  });

  it("a stopped waiting execution leaves the line without letting anyone in", () => {
    let d = arrive(openGate(), w("e1"), "QUEUED");
    d = arrive(d.gate, w("e2"), "QUEUED");
    d = release(d.gate, "e2", "QUEUED");
    expect(d.admit).toEqual([]);
    expect(d.gate).toEqual({ holder: "e1", waiting: [], transition: { enabled: true }, lastEntered: "e1" });
  });

  it("a failed execution can be retried only while no newer execution has entered the stage", () => {
    let d = arrive(openGate(), w("e1"), "SUPERSEDED");
    d = release(d.gate, "e1", "SUPERSEDED");
    expect(canRetryAt(d.gate, "e1")).toBe(true);
    d = arrive(d.gate, w("e2"), "SUPERSEDED");
    expect(canRetryAt(d.gate, "e1")).toBe(false);
  });

  it("a repeated arrival (a retried Lambda) decides nothing twice", () => {
    const first = arrive(openGate(), w("e1"), "SUPERSEDED");
    const again = arrive(first.gate, w("e1"), "SUPERSEDED");
    expect(again).toEqual({ gate: first.gate, entered: true, admit: [], supersede: [] });
  });
});

type Op = { kind: "arrive" } | { kind: "leave"; pick: number } | { kind: "disable" } | { kind: "enable" };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Op>({ kind: "arrive" }) },
  { weight: 3, arbitrary: fc.nat().map<Op>((pick) => ({ kind: "leave", pick })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: "disable" }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: "enable" }) },
);

describe("stage gate properties", () => {
  it("whatever happens: one holder at most, SUPERSEDED keeps one waiter, nobody inside is superseded, QUEUED admits in arrival order, every arrival is accounted for", () => {
    fc.assert(
      fc.property(fc.constantFrom<ExecutionMode>("SUPERSEDED", "QUEUED", "PARALLEL"), fc.array(opArb, { maxLength: 60 }), (mode, ops) => {
        let gate = openGate();
        let n = 0;
        const inside = new Set<string>();
        const superseded = new Set<string>();
        const admittedOrder: number[] = [];
        const apply = (d: GateDecision, arrived?: string) => {
          gate = d.gate;
          if (d.entered && arrived) {
            inside.add(arrived);
            admittedOrder.push(Number(arrived.slice(1)));
          }
          for (const a of d.admit) {
            inside.add(a.executionId);
            admittedOrder.push(Number(a.executionId.slice(1)));
          }
          for (const s of d.supersede) {
            expect(inside.has(s.executionId)).toBe(false);
            superseded.add(s.executionId);
          }
        };
        for (const op of ops) {
          if (op.kind === "arrive") {
            const id = `e${++n}`;
            apply(arrive(gate, w(id), mode), id);
          } else if (op.kind === "leave") {
            const present = [...inside];
            const id = present[op.pick % Math.max(1, present.length)];
            if (id === undefined) continue;
            inside.delete(id);
            apply(release(gate, id, mode));
          } else if (op.kind === "disable") gate = disableTransition(gate, "paused");
          else apply(enableTransition(gate, mode));
          if (mode === "PARALLEL") expect(gate.holder).toBeUndefined();
          else expect([...inside].filter((id) => id === gate.holder).length).toBeLessThanOrEqual(1);
          if (mode !== "PARALLEL") expect(inside.size).toBeLessThanOrEqual(1);
          if (mode === "SUPERSEDED") expect(gate.waiting.length).toBeLessThanOrEqual(1);
          if (mode !== "SUPERSEDED") expect(superseded.size).toBe(0);
          for (const x of gate.waiting) expect(inside.has(x.executionId) || superseded.has(x.executionId)).toBe(false);
        }
        if (mode === "QUEUED") expect(admittedOrder).toEqual([...admittedOrder].sort((a, b) => a - b));
        const everyone = new Set([...admittedOrder.map((i) => `e${i}`), ...superseded, ...gate.waiting.map((x) => x.executionId)]);
        expect(everyone.size).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});
