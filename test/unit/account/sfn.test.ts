import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ExecutionHost, type ExecutionStartRequest, SimAccount } from "../../../local/account/index.js";
import { SimClock } from "../../../local/clock.js";
import { type Harness, ORDERS_SETUP, failure, startAccount } from "./helpers.js";

let h: Harness;
let sm: string;
beforeEach(async () => {
  h = await startAccount({ ...ORDERS_SETUP, stateMachines: [{ name: "deploy-lambda" }] });
  sm = "arn:aws:states:us-east-1:123456789012:stateMachine:deploy-lambda";
});
afterEach(async () => {
  await h.close();
});

/** A host that records what it is asked and lets the test finish executions. */
function fakeHost(): ExecutionHost & { started: ExecutionStartRequest[]; stopped: [string, string | undefined, string | undefined][] } {
  const started: ExecutionStartRequest[] = [];
  const stopped: [string, string | undefined, string | undefined][] = [];
  return {
    started,
    stopped,
    start: (req) => {
      started.push(req);
    },
    stop: (arn, error, cause) => {
      stopped.push([arn, error, cause]);
    },
  };
}

describe("state machines", () => {
  it("are registered with a default ARN and described / listed", async () => {
    expect(h.account.registerStateMachine({ name: "audit", type: "EXPRESS" })).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:audit");
    const d = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm }));
    expect(d).toMatchObject({ stateMachineArn: sm, name: "deploy-lambda", status: "ACTIVE", type: "STANDARD", roleArn: expect.stringContaining(":role/") });
    expect(JSON.parse(d.definition ?? "")).toMatchObject({ StartAt: expect.any(String) });
    expect(d.creationDate).toEqual(new Date("2026-01-01T00:00:00Z"));
    const list = await h.sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((s) => [s.name, s.type])).toEqual([
      ["audit", "EXPRESS"],
      ["deploy-lambda", "STANDARD"],
    ]);
    const page = await h.sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(page.stateMachines).toHaveLength(1);
    const rest = await h.sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken: page.nextToken }));
    expect(rest.stateMachines?.[0]?.name).toBe("deploy-lambda");
    expect(rest.nextToken).toBeUndefined();
  });

  it("answers StateMachineDoesNotExist and InvalidArn", async () => {
    const missing = await failure(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${sm}-nope` })));
    expect(missing.name).toBe("StateMachineDoesNotExist");
    expect(missing.message).toBe(`State Machine Does Not Exist: '${sm}-nope'`);
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect((await failure(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "not-an-arn" })))).name).toBe("InvalidArn");
    const wrongType = await failure(h.sfn.send(new StartExecutionCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:execution:deploy-lambda:x" })));
    expect(wrongType).toMatchObject({ name: "InvalidArn", message: "Invalid Arn: 'Resource type not valid in this context: execution'" });
  });

  it("validates the setup's stateMachines", () => {
    const clock = new SimClock();
    expect(() => SimAccount.fromSetup({ stateMachines: [{ name: "a b" }, { name: "x", type: "SYNC" }, { name: "y", extra: 1 }] }, { clock })).toThrow(
      /stateMachines\[0\]\.name[\s\S]*stateMachines\[1\]\.type[\s\S]*stateMachines\[2\]\.extra/,
    );
    const account = SimAccount.fromSetup({ stateMachines: [{ name: "quick", type: "EXPRESS", definition: { StartAt: "A", States: { A: { Type: "Succeed" } } } }] }, { clock });
    expect(account.sfn.stateMachines()[0]).toMatchObject({ type: "EXPRESS", definition: '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}' });
  });

  it("rejects bad registrations", () => {
    expect(() => h.account.registerStateMachine({ name: "deploy-lambda" })).toThrow(/already registered/);
    expect(() => h.account.registerStateMachine({ name: "x", arn: "arn:aws:states:us-east-1:123456789012:stateMachine:y" })).toThrow(/must be/);
    expect(() => h.account.registerStateMachine({ name: "bad name" })).toThrow(/Invalid Name/);
  });
});

describe("executions", () => {
  it("start, describe, list and stop (no host: the execution stays RUNNING)", async () => {
    h.clock.advance(10);
    const started = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: '{"deploymentId":"d-1"}' }));
    expect(started.executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:deploy-lambda:d-1");
    expect(started.startDate).toEqual(new Date("2026-01-01T00:00:10Z"));
    const running = await h.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({ status: "RUNNING", name: "d-1", stateMachineArn: sm, input: '{"deploymentId":"d-1"}', inputDetails: { included: true } });
    expect(running.stopDate).toBeUndefined();
    expect(running.output).toBeUndefined();

    h.clock.advance(5);
    await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-2" }));
    const list = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm }));
    expect(list.executions?.map((e) => [e.name, e.status])).toEqual([
      ["d-2", "RUNNING"],
      ["d-1", "RUNNING"],
    ]);

    h.clock.advance(5);
    const stopped = await h.sfn.send(new StopExecutionCommand({ executionArn: started.executionArn, error: "Operator.Stop", cause: "stopped by the janitor" }));
    expect(stopped.stopDate).toEqual(new Date("2026-01-01T00:00:20Z"));
    const aborted = await h.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(aborted).toMatchObject({ status: "ABORTED", error: "Operator.Stop", cause: "stopped by the janitor", stopDate: new Date("2026-01-01T00:00:20Z") });
    expect((await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: "RUNNING" }))).executions?.map((e) => e.name)).toEqual(["d-2"]);
    expect((await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: "ABORTED" }))).executions?.[0]).toMatchObject({ name: "d-1", stopDate: new Date("2026-01-01T00:00:20Z") });
    expect(h.account.callCounts()).toMatchObject({ "SFN.StartExecution": 2, "SFN.StopExecution": 1 });
  });

  it("StopExecution without error/cause omits them; stopping a closed execution changes nothing", async () => {
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1" }));
    await h.sfn.send(new StopExecutionCommand({ executionArn }));
    const d = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d.status).toBe("ABORTED");
    expect(d).not.toHaveProperty("error");
    h.clock.advance(30);
    const again = await h.sfn.send(new StopExecutionCommand({ executionArn, error: "Late" }));
    expect(again.stopDate).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).error).toBeUndefined();
  });

  it("StartExecution is idempotent for the same name and input while RUNNING, ExecutionAlreadyExists otherwise", async () => {
    const first = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: '{"a":1,"b":2}' }));
    h.clock.advance(3);
    const repeat = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: '{ "b": 2, "a": 1 }' }));
    expect(repeat).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect(h.account.executions).toHaveLength(1);

    const different = await failure(h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: '{"a":2}' })));
    expect(different).toMatchObject({ name: "ExecutionAlreadyExists", message: `Execution Already Exists: '${first.executionArn}'` });

    await h.sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const closed = await failure(h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: '{"a":1,"b":2}' })));
    expect(closed.name).toBe("ExecutionAlreadyExists");
  });

  it("validates names and inputs, generates a UUID name when none is given", async () => {
    for (const name of ["", "x".repeat(81), "has space", "a/b", "semi;colon", "tab\there"]) {
      const e = await failure(h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name })));
      expect(e.name, JSON.stringify(name)).toBe("InvalidName");
    }
    expect((await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "x".repeat(80) }))).executionArn).toMatch(/:x{80}$/);
    const bad = await failure(h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: "{not json" })));
    expect(bad.name).toBe("InvalidExecutionInput");
    const auto = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm }));
    expect(auto.executionArn).toMatch(/:execution:deploy-lambda:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn: auto.executionArn }))).input).toBe("{}");
  });

  it("answers ExecutionDoesNotExist, StateMachineDoesNotExist and ValidationException", async () => {
    const none = await failure(h.sfn.send(new DescribeExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:deploy-lambda:nope" })));
    expect(none).toMatchObject({ name: "ExecutionDoesNotExist", message: "Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:deploy-lambda:nope'" });
    expect((await failure(h.sfn.send(new StopExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:deploy-lambda:nope" })))).name).toBe("ExecutionDoesNotExist");
    expect((await failure(h.sfn.send(new StartExecutionCommand({ stateMachineArn: `${sm}2` })))).name).toBe("StateMachineDoesNotExist");
    expect((await failure(h.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${sm}2` })))).name).toBe("StateMachineDoesNotExist");
    expect((await failure(h.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: "DONE" as never })))).name).toBe("ValidationException");
    expect((await failure(h.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, nextToken: "garbage" })))).name).toBe("InvalidToken");
  });

  it("pages ListExecutions with maxResults / nextToken, most recent first", async () => {
    for (let i = 1; i <= 5; i++) {
      await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: `d-${i}` }));
      h.clock.advance(1);
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 2, nextToken }));
      expect(page.executions?.length).toBeLessThanOrEqual(2);
      names.push(...(page.executions ?? []).map((e) => e.name ?? ""));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(["d-5", "d-4", "d-3", "d-2", "d-1"]);
  });

  it("Express state machines: no idempotency, no DescribeExecution/ListExecutions, no status events", async () => {
    const express = h.account.registerStateMachine({ name: "quick", type: "EXPRESS" });
    const a = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: express, name: "same" }));
    const b = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: express, name: "same" }));
    expect(a.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:quick:same:/);
    expect(a.executionArn).not.toBe(b.executionArn);
    expect((await failure(h.sfn.send(new DescribeExecutionCommand({ executionArn: a.executionArn })))).message).toBe("Invalid Arn: 'Resource type not valid in this context: express'");
    expect((await failure(h.sfn.send(new ListExecutionsCommand({ stateMachineArn: express })))).name).toBe("StateMachineTypeNotSupported");
    expect(h.account.serviceEvents).toHaveLength(0);
  });

  it("injects faults on SFN operations (ThrottlingException is retried by the SDK)", async () => {
    h.account.addFault({ operation: "SFN.StartExecution", kind: "throttle", count: 1 });
    h.account.addFault({ operation: "DescribeExecution", kind: "5xx", count: 1 });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1" }));
    const once = new SFNClient({ ...h.config, maxAttempts: 1 });
    const e = await failure(once.send(new DescribeExecutionCommand({ executionArn })));
    expect(e).toMatchObject({ name: "InternalFailure", $fault: "server" });
    once.destroy();
    expect(h.account.calls.filter((c) => c.service === "SFN").map((c) => [c.operation, c.errorName ?? "ok"])).toEqual([
      ["StartExecution", "ThrottlingException"],
      ["StartExecution", "ok"],
      ["DescribeExecution", "InternalFailure"],
    ]);
  });
});

describe("the execution host", () => {
  it("receives start (parsed input) and stop; reports the end with executionFinished", async () => {
    const host = fakeHost();
    h.account.attachExecutionHost(host);
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1", input: '{"n":1}' }));
    expect(host.started).toEqual([{ stateMachineArn: sm, stateMachineName: "deploy-lambda", executionArn, name: "d-1", input: { n: 1 } }]);
    const { executionArn: second } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-2" }));

    h.clock.advance(42);
    expect(h.account.sfn.executionFinished(executionArn as string, { status: "SUCCEEDED", output: { deployed: true } })).toBe(true);
    const done = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done).toMatchObject({ status: "SUCCEEDED", output: '{"deployed":true}', outputDetails: { included: true }, stopDate: new Date("2026-01-01T00:00:42Z") });

    await h.sfn.send(new StopExecutionCommand({ executionArn: second, error: "Janitor", cause: "heartbeat lost" }));
    expect(host.stopped).toEqual([[second, "Janitor", "heartbeat lost"]]);
    // The host reporting after the stop does not reopen or overwrite the execution.
    expect(h.account.sfn.executionFinished(second as string, { status: "FAILED", error: "States.Runtime" })).toBe(false);
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn: second }))).status).toBe("ABORTED");
    expect(h.account.worldLog.at(-1)).toMatchObject({ kind: "execution", text: expect.stringContaining("ignored") });
  });

  it("FAILED executions carry error and cause but no output; a host that throws fails the execution", async () => {
    const detach = h.account.attachExecutionHost({
      start: (req) => {
        if (req.name === "boom") throw new Error("cannot load definition");
      },
      stop: () => undefined,
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "d-1" }));
    h.account.sfn.executionFinished(executionArn as string, { status: "FAILED", error: "Deploy.HookFailed", cause: "pre-traffic hook failed", output: { ignored: true } });
    const failed = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed).toMatchObject({ status: "FAILED", error: "Deploy.HookFailed", cause: "pre-traffic hook failed" });
    expect(failed.output).toBeUndefined();

    const boom = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "boom" }));
    expect(await h.sfn.send(new DescribeExecutionCommand({ executionArn: boom.executionArn }))).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: expect.stringContaining("cannot load definition") });
    detach();
    const later = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: "after-detach" }));
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn: later.executionArn }))).status).toBe("RUNNING");
  });
});
