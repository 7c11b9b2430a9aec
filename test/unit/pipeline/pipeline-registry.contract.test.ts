import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbPipelineRegistry } from "../../../functions/adapters/dynamodb-pipelines.js";
import { arrive, openGate, release } from "../../../functions/domain/pipeline/execution/stage-gate.js";
import type { PipelineExecution, PipelineRegistryPort } from "../../../functions/ports/pipeline-registry.js";
import { type LocalDynamoDb, startDynalite } from "../../support/dynalite.js";
import { FakePipelineRegistry } from "../../support/fakes/pipeline-registry.js";

/**
 * One contract for the pipeline registry, run against the in-memory fake the service tests use and
 * against the DynamoDB adapter on dynalite (the real wire protocol, conditional writes), so the fake
 * cannot drift from what runs on AWS.
 */
let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startDynalite("stepdeploy-pipelines");
});
afterAll(async () => {
  await db?.close();
});

function execution(pipeline: string, executionId: string, startedAtMs: number): PipelineExecution {
  return { pipeline, executionId, version: 1, status: "InProgress", executionType: "STANDARD", trigger: { type: "StartPipelineExecution" }, startedAtMs, variables: {}, namespaces: {}, artifacts: {}, sourceRevisions: {}, stages: {} };
}

let n = 0;
const fresh = () => `pipeline-${++n}`;

describe.each<[string, () => PipelineRegistryPort]>([
  ["in-memory fake", () => new FakePipelineRegistry()],
  ["DynamoDB adapter on dynalite", () => new DynamoDbPipelineRegistry(db.client, db.tableName)],
])("pipeline registry contract: %s", (_name, make) => {
  it("creates once: a second create with the same id returns the first record", async () => {
    const r = make();
    const p = fresh();
    await r.createExecution(execution(p, "e1", 1));
    const again = await r.createExecution({ ...execution(p, "e1", 2), status: "Failed" });
    expect(again).toMatchObject({ executionId: "e1", startedAtMs: 1, status: "InProgress" });
    expect(await r.getExecution(p, "nope")).toBeUndefined();
  });

  it("updates are functions of the current record; concurrent updates all land", async () => {
    const r = make();
    const p = fresh();
    await r.createExecution(execution(p, "e1", 1));
    await Promise.all(["A", "B", "C", "D"].map((ns) => r.updateExecution(p, "e1", (x) => ({ ...x, namespaces: { ...x.namespaces, [ns]: { V: ns } } }))));
    expect(Object.keys((await r.getExecution(p, "e1"))?.namespaces ?? {}).sort()).toEqual(["A", "B", "C", "D"]);
  });

  it("stage gates start from the given initial gate; concurrent arrivals leave one holder and the rest waiting", async () => {
    const r = make();
    const p = fresh();
    const decisions = await Promise.all(["e1", "e2", "e3"].map((id) => r.updateGate(p, "Build", openGate(), (g) => {
      const d = arrive(g, { executionId: id, token: `t-${id}` }, "QUEUED");
      return { gate: d.gate, result: d.entered };
    })));
    expect(decisions.filter(Boolean)).toHaveLength(1);
    const gate = await r.updateGate(p, "Build", openGate(), (g) => ({ gate: g, result: g }));
    expect(gate.waiting).toHaveLength(2);
    const next = await r.updateGate(p, "Build", openGate(), (g) => {
      const d = release(g, gate.holder as string, "QUEUED");
      return { gate: d.gate, result: d.admit };
    });
    expect(next).toEqual([gate.waiting[0]]);
  });

  it("lists newest first and finds the last execution that succeeded in a stage under a version", async () => {
    const r = make();
    const p = fresh();
    for (const [id, t] of [["old", 1], ["mid", 2], ["new", 3]] as const) await r.createExecution(execution(p, id, t));
    for (const id of ["old", "mid"]) await r.updateExecution(p, id, (x) => ({ ...x, stages: { Deploy: { status: "Succeeded", attempt: 1, automaticRetries: 0, actions: {} } } }));
    expect((await r.listExecutions(p, 2)).map((e) => e.executionId)).toEqual(["new", "mid"]);
    expect((await r.lastSucceededInStage(p, "Deploy", 1))?.executionId).toBe("mid");
    expect(await r.lastSucceededInStage(p, "Deploy", 2)).toBeUndefined();
  });
});
