import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LambdaAliasTarget } from "../../../functions/domain/traffic/target.js";
import { lambdaAliasRouter } from "../../../functions/services/routers/lambda-alias.js";
import { FakeLambda } from "../../support/fakes/lambda.js";

/**
 * The alias router when a step is retried after its own write landed (found by the deployments fault injection in
 * CI: the read-back after a 30% write failed three times, the step was retried towards 100% after a promote, the
 * RevisionId it carried was from before its own write, and the deployment ended "changed by another writer" with the
 * alias left at 30%). A state at one of the deployment's own weights is its own; anything else is never overwritten.
 */
const target: LambdaAliasTarget = { kind: "lambda-alias", functionName: "orders", alias: "live", fromVersion: "3", toVersion: "4" };
const PLAN = [10, 30, 60, 100];

describe("the Lambda alias router, a retried step", () => {
  it("writes from its own earlier state when the alias is at one of the plan's weights", async () => {
    const lambda = new FakeLambda().addFunction("orders", 4, { live: "3" });
    const router = lambdaAliasRouter(lambda);
    const before = (await router.read(target)).revision;
    await router.setWeight(target, 30, before, PLAN); // landed; its answer is lost
    const promoted = await router.setWeight(target, 100, before, PLAN);
    expect(promoted.weight).toBe(100);
    expect(lambda.aliases.get("orders:live")).toMatchObject({ functionVersion: "4", weights: {} });
  });

  it("still refuses to overwrite another writer's change, and a weight the plan never writes", async () => {
    for (const [version, weights] of [["2", {}], ["3", { "4": 0.25 }], ["3", { "5": 0.3 }]] as const) {
      const lambda = new FakeLambda().addFunction("orders", 5, { live: "3" });
      const router = lambdaAliasRouter(lambda);
      const before = (await router.read(target)).revision;
      lambda.otherWriter("orders", "live", version, { ...weights });
      await expect(router.setWeight(target, 100, before, PLAN)).rejects.toMatchObject({ name: "Deploy.TrafficConflict" });
      expect(lambda.aliases.get("orders:live")).toMatchObject({ functionVersion: version, weights });
    }
  });

  it("without the plan's weights (the old call) a lost answer is a conflict, as before", async () => {
    const lambda = new FakeLambda().addFunction("orders", 4, { live: "3" });
    const router = lambdaAliasRouter(lambda);
    const before = (await router.read(target)).revision;
    await router.setWeight(target, 30, before);
    await expect(router.setWeight(target, 100, before)).rejects.toMatchObject({ name: "Deploy.TrafficConflict" });
  });

  it("for any plan, any own earlier weight and any next weight of the plan, the retried write lands exactly", async () => {
    const plan = fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 6 }).map((ws) => [...ws.sort((a, b) => a - b), 100]);
    await fc.assert(
      fc.asyncProperty(plan, fc.nat(), fc.nat(), async (ws, i, j) => {
        const lambda = new FakeLambda().addFunction("orders", 4, { live: "3" });
        const router = lambdaAliasRouter(lambda);
        const before = (await router.read(target)).revision;
        await router.setWeight(target, ws[i % ws.length] as number, before, ws);
        const next = ws[j % ws.length] as number;
        expect((await router.setWeight(target, next, before, ws)).weight).toBe(next);
      }),
    );
  });
});
