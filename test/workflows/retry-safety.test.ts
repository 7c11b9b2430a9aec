import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PreparedDeployment } from "../../functions/domain/deployment/state.js";
import { registry } from "../../functions/wiring.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/**
 * Step Functions may invoke a Lambda task twice with the same input (a retry after a lost
 * response). Each handler, invoked twice in a row against the simulated account and dynalite,
 * must leave the same world as once.
 */
const canary = JSON.parse(readFileSync(join(PROJECT_ROOT, "events", "scenarios", "canary-success.json"), "utf8"));
const LOCK = { lockKey: "arn:aws:lambda:us-east-1:123456789012:function:orders:live" };
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
  it("start, shiftTraffic, watchBake, alarmListener, finalize and the janitor", async () => {
    world = await openSimWorld(canary.account);
    const w = world;
    await w.within(async () => {
      const input = { ...canary.input, deploymentId: "d-TWICE0001" };
      const executionArn = "arn:aws:states:us-east-1:123456789012:execution:stepdeploy-local-deploy-lambda:d-TWICE0001";
      // Start answers its token; the second run answers the same (the token is the only one waiting).
      const tokens: unknown[] = [];
      for (const token of ["t-1", "t-2"]) {
        const answer = w.account.callbacks.register(token);
        await w.runtime.invokeFunction("StartLambdaFunction", { input, executionName: "d-TWICE0001", executionArn, taskToken: token });
        tokens.push(((await answer) as { ok: true; output: unknown }).output);
      }
      expect(tokens[1]).toEqual(tokens[0]);
      const p = tokens[0] as PreparedDeployment;
      expect((await registry().getLock(LOCK))?.holderDeploymentId).toBe("d-TWICE0001");
      expect((await registry().getDeployment("d-TWICE0001"))?.status).toBe("InProgress");

      // A shift with the same cursor twice: one write, the same cursor back.
      const [s1, s2] = await twice(w, "ShiftTrafficLambdaFunction", { deployment: p.deployment, plan: p.plan, cursor: p.cursor, signal: null });
      expect(s2).toEqual(s1);
      expect(w.account.aliasHistory.map((h) => [h.functionVersion, h.additionalVersionWeights])).toEqual([["3", { "4": 0.1 }]]);

      const bake = { deployment: p.deployment, cursor: s1, taskToken: "token-1" };
      await twice(w, "WatchBakeLambdaFunction", bake);
      const alarm = { source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", account: "123456789012", region: "us-east-1", detail: { alarmName: "orders-errors", state: { value: "OK" } } };
      const [l1, l2] = (await twice(w, "AlarmListenerLambdaFunction", alarm)) as { stopped: string[] }[];
      expect(l1?.stopped).toEqual([]);
      expect(l2).toEqual(l1);

      const outcome = { error: "Deploy.HookFailed", reason: "x", state: "FAILURE", rollback: true };
      const [f1, f2] = (await twice(w, "FinalizeLambdaFunction", { deployment: p.deployment, outcome })) as { status: string; released: boolean }[];
      expect(f1).toEqual({ status: "Failed", released: true });
      expect(f2).toEqual({ status: "Failed", released: false });
      expect(await registry().getLock(LOCK)).toBeUndefined();

      const status = { detail: { executionArn, name: "d-TWICE0001", status: "FAILED" } };
      const [j1, j2] = (await twice(w, "JanitorLambdaFunction", status)) as { action: string }[];
      expect(j1?.action).toBe("none");
      expect(j2).toEqual(j1);
      expect(await registry().getDeployment("d-TWICE0001")).toMatchObject({ status: "Failed", errorName: "Deploy.HookFailed" });
    });
  });
});
