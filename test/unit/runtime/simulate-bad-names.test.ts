import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDynamoDb, startDynalite } from "../../../local/emulators/dynalite.js";
import { formatOutcome } from "../../../local/simulate/format.js";
import { simulateScenario } from "../../../local/simulate/run-scenario.js";
import type { Scenario } from "../../../local/simulate/scenario.js";

/**
 * A scenario whose input names a function, alias or application that is wrong: the deployment is
 * refused with a named error, and `simulate` still prints its report, saying what was wrong,
 * instead of ending with the raw error of a read made after the run.
 */
const canary = JSON.parse(readFileSync(new URL("../../../events/scenarios/canary-success.json", import.meta.url), "utf8")) as Scenario;
const withInput = (name: string, patch: Record<string, unknown>): Scenario => ({ ...canary, name, expect: undefined, input: { ...canary.input, ...patch } });

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite("stepdeploy-local-registry");
});
afterAll(async () => {
  await dynamo.close();
});

describe("simulate with a wrong name in the input", () => {
  it.each([
    ["a function the account does not have", { functionName: "nope" }, "Deploy.ResourceNotFound", /nope:live does not exist/, /the simulated account has no function nope \(its functions: orders, /],
    ["an alias the function does not have", { alias: "nolive" }, "Deploy.ResourceNotFound", /orders:nolive does not exist/, /orders has no alias nolive \(its aliases: live\)/],
  ])("%s: the report says so, the alias is none, and nothing moved", async (_label, patch, error, cause, missing) => {
    const r = await simulateScenario(withInput(`bad name ${JSON.stringify(patch)}`, patch), { dynamo });
    expect([r.status, r.error]).toEqual(["FAILED", error]);
    expect(r.cause).toMatch(cause);
    expect(r.cause).not.toContain('"errorType"');
    expect(r.finalAlias).toBeNull();
    expect(r.missing).toEqual([expect.stringMatching(missing)]);
    expect(r.timeline).toEqual([]);
    expect(r.events).toEqual([]);
    const text = formatOutcome(r);
    expect(text).toContain("alias     none");
    expect(text).toMatch(missing);
  });

  it("an application name the registry refuses: the report gives the input error and the alias as it was", async () => {
    const r = await simulateScenario(withInput("bad application", { application: "orders app/1" }), { dynamo });
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.InvalidInput"]);
    expect(r.cause).toMatch(/^application: must be 1-100 characters/);
    expect(r.finalAlias).toEqual({ functionVersion: "3", additionalVersionWeights: {} });
    expect(r.registry).toEqual({ status: null, errorName: null, lockHolder: null });
    // Nothing is missing: the registry holds no record for a refused input (Start refused it before writing).
    expect(r.missing).toBeUndefined();
  });
});
