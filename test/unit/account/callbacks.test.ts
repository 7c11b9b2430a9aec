import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awaitToken, sleepUntil } from "../../../local/runtime/callbacks.js";
import { type Harness, ORDERS_SETUP, failure, startAccount } from "./helpers.js";

let h: Harness;
beforeEach(async () => {
  h = await startAccount(ORDERS_SETUP);
});
afterEach(async () => {
  await h.close();
});

const TOKEN = "__stepdeploy_task_token__-6d1f3b8e-0000-4000-8000-000000000001";

describe("task tokens (CallbackWorld.register / expire and SendTask*)", () => {
  it("SendTaskSuccess resolves the registered token with the parsed output", async () => {
    const outcome = h.account.callbacks.register(TOKEN);
    h.clock.advance(7);
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: '{"approved":true,"by":"ops"}' }));
    await expect(outcome).resolves.toEqual({ ok: true, output: { approved: true, by: "ops" } });
    expect(h.account.taskTokens.get(TOKEN)).toMatchObject({ state: "succeeded", registeredAtSeconds: 0, closedAtSeconds: 7, output: { approved: true, by: "ops" } });
  });

  it("SendTaskFailure resolves it with error and cause", async () => {
    const outcome = h.account.callbacks.register(TOKEN);
    await h.sfn.send(new SendTaskFailureCommand({ taskToken: TOKEN, error: "Approval.Rejected", cause: "not today" }));
    await expect(outcome).resolves.toEqual({ ok: false, error: "Approval.Rejected", cause: "not today" });
  });

  it("a closed token answers TaskTimedOut: after expire, and after it was answered once", async () => {
    void h.account.callbacks.register(TOKEN);
    h.account.callbacks.expire(TOKEN);
    const late = await failure(h.sfn.send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: "{}" })));
    expect(late.name).toBe("TaskTimedOut");
    expect(late.$metadata.httpStatusCode).toBe(400);
    expect((await failure(h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: TOKEN })))).name).toBe("TaskTimedOut");
    expect(h.account.taskTokens.get(TOKEN)?.state).toBe("expired");

    const other = `${TOKEN}-2`;
    void h.account.callbacks.register(other);
    await h.sfn.send(new SendTaskFailureCommand({ taskToken: other }));
    expect((await failure(h.sfn.send(new SendTaskSuccessCommand({ taskToken: other, output: "{}" })))).name).toBe("TaskTimedOut");
    h.account.callbacks.expire(other); // the runtime always expires in `finally`; harmless after an answer
    expect(h.account.taskTokens.get(other)?.state).toBe("failed");
  });

  it("rejects output that is not JSON with InvalidOutput and keeps the token open", async () => {
    const outcome = h.account.callbacks.register(TOKEN);
    const e = await failure(h.sfn.send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: "approved" })));
    expect(e.name).toBe("InvalidOutput");
    expect(h.account.taskTokens.get(TOKEN)?.state).toBe("open");
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: '"approved"' }));
    await expect(outcome).resolves.toEqual({ ok: true, output: "approved" });
  });

  it("unknown tokens are TaskDoesNotExist, impossible ones InvalidToken", async () => {
    expect((await failure(h.sfn.send(new SendTaskSuccessCommand({ taskToken: "never-registered", output: "{}" })))).name).toBe("TaskDoesNotExist");
    expect((await failure(h.sfn.send(new SendTaskFailureCommand({ taskToken: "has white space" })))).name).toBe("InvalidToken");
    expect((await failure(h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: "x".repeat(1500) })))).name).toBe("InvalidToken");
  });

  it("SendTaskHeartbeat is accepted while the token is open and recorded", async () => {
    void h.account.callbacks.register(TOKEN);
    h.clock.advance(30);
    await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: TOKEN }));
    h.clock.advance(30);
    await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: TOKEN }));
    expect(h.account.taskTokens.get(TOKEN)).toMatchObject({ state: "open", heartbeats: [30, 60] });
  });

  it("register returns the same promise for a token that is still open", () => {
    expect(h.account.callbacks.register(TOKEN)).toBe(h.account.callbacks.register(TOKEN));
  });
});

describe("nextEventAt and settled", () => {
  it("nextEventAt is the simulated second of the earliest pending timeline entry", () => {
    expect(h.account.callbacks.nextEventAt()).toBeUndefined();
    h.account.applyTimeline([
      { atSeconds: 300, alarm: "orders-errors", state: "ALARM" },
      { atSeconds: 120, action: "stop" },
    ]);
    expect(h.account.callbacks.nextEventAt()).toBe(120);
    h.clock.advance(150);
    expect(h.account.callbacks.nextEventAt()).toBe(300);
    h.clock.advance(150);
    expect(h.account.callbacks.nextEventAt()).toBeUndefined();
  });

  it("awaitToken (the local runtime's wait) jumps to a scripted operator approval and returns its output", async () => {
    h.account.onAction("approve", async (item) => {
      await h.sfn.send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: JSON.stringify(item.input) }));
    });
    h.account.applyTimeline([{ atSeconds: 90, action: "approve", input: { approvedBy: "ops" } }]);
    const outcome = h.account.callbacks.register(TOKEN);
    const output = await awaitToken(h.clock, h.account.callbacks, TOKEN, outcome, 3600);
    expect(output).toEqual({ approvedBy: "ops" });
    expect(h.clock.elapsedSeconds()).toBe(90);
    expect(h.account.taskTokens.get(TOKEN)).toMatchObject({ state: "succeeded", closedAtSeconds: 90 });
  });

  it("awaitToken times out at the task's timeout when nothing answers, and the token then refuses SendTask*", async () => {
    h.account.applyTimeline([{ atSeconds: 500, alarm: "orders-errors", state: "ALARM" }]);
    const outcome = h.account.callbacks.register(TOKEN);
    await expect(awaitToken(h.clock, h.account.callbacks, TOKEN, outcome, 60)).rejects.toMatchObject({ message: expect.stringContaining("timed out") });
    expect(h.clock.elapsedSeconds()).toBe(60);
    expect((await failure(h.sfn.send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: "{}" })))).name).toBe("TaskTimedOut");
  });
});

/** The clock as the scheduler of executions that wait at the same time (local/clock.ts: time moves only when all wait). */
describe("two executions waiting at once (sleepUntil, the cooperative Wait)", () => {
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
  };

  it("time does not move while a reaction one of them let happen is in flight (an operator action that takes a few turns)", async () => {
    const seen: number[] = [];
    h.account.onAction("slow", async () => {
      // e.g. a rule target's handler calling AWS: several event-loop turns before it acts
      await turns(3);
      seen.push(h.clock.elapsedSeconds());
    });
    h.account.applyTimeline([
      { atSeconds: 10, action: "slow" },
      { atSeconds: 20, action: "later" },
    ]);
    // two executions in a Wait state until 30 s: each steps the clock from world event to world event
    await Promise.all([sleepUntil(h.clock, h.account.callbacks, 30), sleepUntil(h.clock, h.account.callbacks, 30)]);
    expect(seen).toEqual([10]);
    expect(h.clock.elapsedSeconds()).toBe(30);
    expect(h.clock.workingCount).toBe(0);
  });
});
