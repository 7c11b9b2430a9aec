import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { registry } from "../../functions/lib/registry.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/**
 * Step Functions may invoke a Lambda task twice with the same input (a retry after a lost
 * response). Each handler, invoked twice in a row against the simulated account and dynalite,
 * must leave the same world as once.
 */
const canary = JSON.parse(readFileSync(join(PROJECT_ROOT, "events", "scenarios", "canary-success.json"), "utf8"));
let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function twice(w: SimWorld, fn: string, payload: unknown): Promise<[unknown, unknown]> {
  const a = await w.runtime.invokeFunction(fn, payload);
  const b = await w.runtime.invokeFunction(fn, payload);
  return [a, b];
}

describe("handlers are safe to run twice", () => {
  it("prepare, register, watchBake, finalize, janitor and alarmListener", async () => {
    world = await openSimWorld(canary.account);
    const w = world;
    await w.within(async () => {
      const input = { ...canary.input, deploymentId: "d-TWICE0001" };
      const [p1, p2] = (await twice(w, "PrepareLambdaFunction", { input, executionName: "d-TWICE0001" })) as { deployment: Record<string, unknown> }[];
      expect(p2).toEqual(p1);
      const deployment = p1?.deployment as Record<string, unknown>;
      const group = { application: "orders-app", deploymentGroup: "orders-prod" };

      const [r1, r2] = await twice(w, "RegisterLambdaFunction", { deployment, executionArn: "arn:x" });
      expect(r2).toEqual(r1);
      expect((await registry().getLock(group))?.holderDeploymentId).toBe("d-TWICE0001");
      expect((await registry().getDeployment("d-TWICE0001"))?.status).toBe("InProgress");

      const bake = { deployment, step: { index: 0, weight: 10 }, bake: { remaining: 300 }, totalSteps: 2, taskToken: "token-1" };
      await twice(w, "WatchBakeLambdaFunction", bake);
      const [l1, l2] = (await twice(w, "AlarmListenerLambdaFunction", { source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", detail: { alarmName: "orders-errors", state: { value: "OK" } } })) as { stopped: string[] }[];
      expect(l1?.stopped).toEqual([]);
      expect(l2).toEqual(l1);

      const outcome = { error: "Deploy.HookFailed", reason: "x", state: "FAILURE", rollback: true };
      const [f1, f2] = (await twice(w, "FinalizeLambdaFunction", { deployment, outcome })) as { status: string; released: boolean }[];
      expect(f1).toEqual({ status: "Failed", released: true });
      expect(f2).toEqual({ status: "Failed", released: false });
      expect(await registry().getLock(group)).toBeUndefined();

      const status = { detail: { executionArn: "arn:x", name: "d-TWICE0001", status: "FAILED" } };
      const [j1, j2] = (await twice(w, "JanitorLambdaFunction", status)) as { action: string }[];
      expect(j1?.action).toBe("none");
      expect(j2).toEqual(j1);
      const record = await registry().getDeployment("d-TWICE0001");
      expect(record).toMatchObject({ status: "Failed", errorName: "Deploy.HookFailed" });
    });
  });
});
