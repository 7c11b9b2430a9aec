import { GetAliasCommand, LambdaClient } from "@aws-sdk/client-lambda";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { backoffDelayMs, useBackoffClock } from "../../../functions/adapters/backoff.js";
import { cachedClient, useTransport } from "../../../functions/adapters/clients.js";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";

/**
 * The retry back-off seam (functions/adapters/backoff.ts): with a back-off clock installed, the SDK still decides
 * what is retried, and only the waiting moves to that clock.
 */
type Answer = "ok" | "throttle" | "5xx" | "missing";
const ANSWERS: Record<Answer, { status: number; type?: string; body: string }> = {
  ok: { status: 200, body: JSON.stringify({ Name: "live", FunctionVersion: "3" }) },
  throttle: { status: 429, type: "TooManyRequestsException", body: JSON.stringify({ message: "Rate exceeded" }) },
  "5xx": { status: 500, type: "ServiceException", body: JSON.stringify({ message: "internal" }) },
  missing: { status: 404, type: "ResourceNotFoundException", body: JSON.stringify({ message: "Function not found" }) },
};

let endpoints = 0;
/** A Lambda endpoint that gives `answers` in order (then "ok"), counting the requests it sees. */
function scriptedLambda(answers: Answer[]): { network: InProcessNetwork; endpoint: string; requests: () => number } {
  const network = new InProcessNetwork();
  let seen = 0;
  const endpoint = network.attach(`lambda-${++endpoints}`, () => {
    const a = ANSWERS[answers[seen++] ?? "ok"];
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (a.type) headers["x-amzn-errortype"] = a.type;
    return { kind: "response", response: { status: a.status, headers, body: a.body } };
  });
  return { network, endpoint, requests: () => seen };
}

const restores: (() => void)[] = [];
afterEach(() => {
  for (const r of restores.splice(0).reverse()) r();
  delete process.env.AWS_ENDPOINT_URL;
});

/** GetAlias through a cached client on `endpoint`; resolves to "ok" or the error's name. */
async function getAlias(endpoint: string, service: string, maxAttempts?: number): Promise<string> {
  process.env.AWS_ENDPOINT_URL = endpoint;
  const client = cachedClient(service, (options) => new LambdaClient({ ...options, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" }, ...(maxAttempts ? { maxAttempts } : {}) }));
  try {
    await client.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
}

function recordingClock(): number[] {
  const waits: number[] = [];
  restores.push(useBackoffClock({ wait: async (ms) => void waits.push(ms), jitter: () => 0.5 }));
  return waits;
}

describe("the SDK back-off delay", () => {
  it.each([
    ["first retry of a transient error", "TRANSIENT", 0, 1, 50],
    ["second retry of a transient error", "TRANSIENT", 1, 1, 100],
    ["first retry of a throttle", "THROTTLING", 0, 1, 1000],
    ["third retry of a throttle", "THROTTLING", 2, 1, 4000],
    ["capped at 20 s", "THROTTLING", 10, 1, 20_000],
    ["half jitter", "THROTTLING", 1, 0.5, 1000],
    ["no jitter", "TRANSIENT", 3, 0, 0],
  ] as const)("%s", (_, errorType, retries, jitter, expected) => {
    expect(backoffDelayMs({ errorType }, retries, jitter)).toBe(expected);
  });

  it("a Retry-After hint raises the delay to the hint, by at most 5 s", () => {
    const now = 1_000_000;
    expect(backoffDelayMs({ errorType: "THROTTLING", retryAfterHint: new Date(now + 3000) }, 0, 0.5, now)).toBe(3000);
    expect(backoffDelayMs({ errorType: "TRANSIENT", retryAfterHint: new Date(now + 60_000) }, 0, 1, now)).toBe(5050);
    expect(backoffDelayMs({ errorType: "THROTTLING", retryAfterHint: new Date(now + 10) }, 0, 1, now)).toBe(1000);
  });

  it("is a jittered fraction of the capped exponential, whatever the error and retry", () => {
    fc.assert(
      fc.property(fc.constantFrom("THROTTLING" as const, "TRANSIENT" as const), fc.nat(30), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (errorType, retries, jitter) => {
        const ceiling = Math.min((errorType === "THROTTLING" ? 1000 : 50) * 2 ** retries, 20_000);
        const d = backoffDelayMs({ errorType }, retries, jitter);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(d).toBe(Math.floor(jitter * ceiling));
      }),
    );
  });
});

describe("clients built while a back-off clock is installed", () => {
  it("retry what the SDK retries, and wait on that clock instead of the wall clock", async () => {
    const waits = recordingClock();
    const lambda = scriptedLambda(["throttle", "throttle", "5xx"]);
    restores.push(useTransport(lambda.network));
    // Four attempts: the client's maxAttempts (3 by default) is the SDK's, so pass 4 to see three retries.
    expect(await getAlias(lambda.endpoint, "backoff-three-retries", 4)).toBe("ok");
    expect(lambda.requests()).toBe(4);
    // Half of 1 s and 2 s (throttles), then of 200 ms (a 5xx after two retries): the SDK's own schedule.
    expect(waits).toEqual([500, 1000, 100]);
  });

  it("keep the client's own maxAttempts: a client built with maxAttempts 1 never retries", async () => {
    const waits = recordingClock();
    const lambda = scriptedLambda(["throttle"]);
    restores.push(useTransport(lambda.network));
    expect(await getAlias(lambda.endpoint, "backoff-no-retries", 1)).toBe("TooManyRequestsException");
    expect(lambda.requests()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("do not retry what the SDK does not retry", async () => {
    const waits = recordingClock();
    const lambda = scriptedLambda(["missing"]);
    restores.push(useTransport(lambda.network));
    expect(await getAlias(lambda.endpoint, "backoff-not-retryable")).toBe("ResourceNotFoundException");
    expect(lambda.requests()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("make the same attempts and end the same way as the SDK's own strategy, for any sequence of answers", async () => {
    // Transient errors only on the SDK's side: its throttling back-off would sleep seconds of wall time per run.
    const answers = fc.array(fc.constantFrom<Answer>("ok", "5xx", "missing"), { minLength: 1, maxLength: 4 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(answers, async (script) => {
        run += 1;
        const sdk = scriptedLambda(script);
        const undo = useTransport(sdk.network);
        const sdkOutcome = await getAlias(sdk.endpoint, `backoff-sdk-${run}`);
        undo();
        const clocked = scriptedLambda(script);
        const waits = recordingClock();
        restores.push(useTransport(clocked.network));
        expect(await getAlias(clocked.endpoint, `backoff-clocked-${run}`)).toBe(sdkOutcome);
        expect(clocked.requests()).toBe(sdk.requests());
        expect(waits).toHaveLength(clocked.requests() - 1);
        for (const r of restores.splice(0).reverse()) r();
      }),
      { numRuns: 25 },
    );
  });
});
