import { InvokeCommand, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, TRANSPORTS, failure, json, payload, startAccount } from "./helpers.js";

describe.each(TRANSPORTS)("over the %s transport", (transport) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const hooks = (extra: Record<string, unknown>[] = []) => ({
    functions: [{ name: "orders", versions: 4, aliases: { live: "3" }, results: [{ return: { ok: true } }] }],
    hooks: [
      {
        name: "CodeDeployHook_pre",
        results: [{ status: "Succeeded" }, { status: "Failed", reason: "smoke test failed" }, { throw: "order total mismatch", errorType: "AssertionError" }, { status: "Succeeded" }],
        latencySeconds: 5,
      },
      ...extra,
    ],
  });

  describe("Invoke of scripted functions", () => {
    it("consumes one result per invocation (the last repeats), advancing the simulated clock by the latency", async () => {
      h = await startAccount(hooks(), undefined, transport);
      const seen: unknown[] = [];
      for (let i = 0; i < 5; i++) {
        const out = await h.lambda.send(new InvokeCommand({ FunctionName: "CodeDeployHook_pre", Payload: payload({ lifecycleEvent: "BeforeAllowTraffic", n: i }) }));
        expect(out.StatusCode).toBe(200);
        expect(out.ExecutedVersion).toBe("$LATEST");
        seen.push([out.FunctionError ?? null, json(out.Payload)]);
      }
      expect(seen).toEqual([
        [null, { status: "Succeeded" }],
        [null, { status: "Failed", reason: "smoke test failed" }],
        ["Unhandled", { errorType: "AssertionError", errorMessage: "order total mismatch", trace: expect.any(Array) }],
        [null, { status: "Succeeded" }],
        [null, { status: "Succeeded" }],
      ]);
      expect(h.clock.elapsedSeconds()).toBe(25);
      const inv = h.account.hookInvocations;
      expect(inv.map((i) => [i.atSeconds, i.finishedAtSeconds, i.outcome])).toEqual([
        [0, 5, "Succeeded"],
        [5, 10, "Failed: smoke test failed"],
        [10, 15, "threw AssertionError: order total mismatch"],
        [15, 20, "Succeeded"],
        [20, 25, "Succeeded"],
      ]);
      expect(inv[0]?.payload).toEqual({ lifecycleEvent: "BeforeAllowTraffic", n: 0 });
      expect(inv[0]?.payload?.lifecycleEvent).toBe("BeforeAllowTraffic");
    });

    it("times out like Lambda when the latency exceeds the function's Timeout (default 900 s for hooks)", async () => {
      h = await startAccount(hooks([{ name: "slow", results: [{ status: "Succeeded" }], latencySeconds: 1000 }, { name: "short", timeoutSeconds: 60, latencySeconds: 61 }]), undefined, transport);
      const out = await h.lambda.send(new InvokeCommand({ FunctionName: "slow", Payload: payload({}) }));
      expect(out.FunctionError).toBe("Unhandled");
      expect((json(out.Payload) as { errorMessage: string }).errorMessage).toMatch(/^2026-01-01T00:15:00\.000Z \S+ Task timed out after 900\.00 seconds$/);
      expect(h.clock.elapsedSeconds()).toBe(900);
      const short = await h.lambda.send(new InvokeCommand({ FunctionName: "short", Payload: payload({}), LogType: "Tail" }));
      expect((json(short.Payload) as { errorMessage: string }).errorMessage).toContain("Task timed out after 60.00 seconds");
      expect(Buffer.from(short.LogResult ?? "", "base64").toString()).toContain("Task timed out after 60.00 seconds");
      expect(h.clock.elapsedSeconds()).toBe(960);
      expect(h.account.invocations.map((i) => i.status)).toEqual(["TimedOut", "TimedOut"]);
    });

    it("stops at a caller's horizon (a Task timeout) and records the interruption", async () => {
      h = await startAccount(hooks([{ name: "slow", latencySeconds: 120 }]), undefined, transport);
      const release = h.clock.horizon(60);
      await h.lambda.send(new InvokeCommand({ FunctionName: "slow", Payload: payload({}) }));
      release();
      expect(h.clock.elapsedSeconds()).toBe(60);
      expect(h.account.invocations[0]).toMatchObject({ status: "Interrupted", finishedAtSeconds: 60 });
    });

    it("Event invocations answer 202 and do not hold the caller's clock; DryRun answers 204", async () => {
      h = await startAccount(hooks(), undefined, transport);
      const ev = await h.lambda.send(new InvokeCommand({ FunctionName: "CodeDeployHook_pre", InvocationType: "Event", Payload: payload({ a: 1 }) }));
      expect(ev.StatusCode).toBe(202);
      expect(h.clock.elapsedSeconds()).toBe(0);
      expect(h.account.invocations[0]).toMatchObject({ invocationType: "Event", atSeconds: 0, finishedAtSeconds: 5 });
      const dry = await h.lambda.send(new InvokeCommand({ FunctionName: "CodeDeployHook_pre", InvocationType: "DryRun" }));
      expect(dry.StatusCode).toBe(204);
      expect(h.account.invocations).toHaveLength(1);
    });

    it("routes invocations through a weighted alias deterministically and reports X-Amz-Executed-Version", async () => {
      h = await startAccount(hooks(), undefined, transport);
      await h.lambda.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.25 } } }));
      const versions: string[] = [];
      for (let i = 0; i < 8; i++) {
        const out = await h.lambda.send(new InvokeCommand({ FunctionName: "orders", Qualifier: "live", Payload: payload({ i }) }));
        versions.push(String(out.ExecutedVersion));
        expect(json(out.Payload)).toEqual({ ok: true });
      }
      expect(versions.filter((v) => v === "4")).toHaveLength(2);
      expect(versions.filter((v) => v === "3")).toHaveLength(6);
      const pinned = await h.lambda.send(new InvokeCommand({ FunctionName: "orders:2" }));
      expect(pinned.ExecutedVersion).toBe("2");
    });

    it("answers Lambda's errors for bad invocations", async () => {
      h = await startAccount(hooks(), undefined, transport);
      const missing = await failure(h.lambda.send(new InvokeCommand({ FunctionName: "nope" })));
      expect(missing.name).toBe("ResourceNotFoundException");
      const noAlias = await failure(h.lambda.send(new InvokeCommand({ FunctionName: "orders", Qualifier: "prod" })));
      expect(noAlias.name).toBe("ResourceNotFoundException");
      const badJson = await failure(h.lambda.send(new InvokeCommand({ FunctionName: "orders", Payload: Buffer.from("{not json") })));
      expect(badJson.name).toBe("InvalidRequestContentException");
      expect(badJson.$metadata.httpStatusCode).toBe(400);
      const mismatch = await failure(h.lambda.send(new InvokeCommand({ FunctionName: "orders:live", Qualifier: "2" })));
      expect(mismatch.name).toBe("InvalidParameterValueException");
    });

    it("a function with no script returns null", async () => {
      h = await startAccount({ functions: [{ name: "plain" }] }, undefined, transport);
      const out = await h.lambda.send(new InvokeCommand({ FunctionName: "plain" }));
      expect(json(out.Payload)).toBeNull();
      expect(h.account.invocations[0]?.outcome).toBe("returned null");
    });
  });
});
