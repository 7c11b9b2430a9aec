import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { isThrottlingError, isTransientError } from "@smithy/core/retry";
import { describe, expect, it } from "vitest";
import { type Harness, ORDERS_SETUP, describeEachTransport, failure } from "./helpers.js";

let h: Harness;
describeEachTransport(
  ORDERS_SETUP,
  (harness) => {
    h = harness;
  },
  () => {

  const shift = (client: LambdaClient) =>
    client.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } } }));

  describe("throttling", () => {
    it("Lambda: 429 TooManyRequestsException with Retry-After; with maxAttempts 1 the caller sees it", async () => {
      h.account.addFault({ operation: "UpdateAlias", kind: "throttle", count: 2 });
      const once = new LambdaClient({ ...h.config, maxAttempts: 1 });
      for (let i = 0; i < 2; i++) {
        const e = await failure(shift(once));
        expect(e.name).toBe("TooManyRequestsException");
        expect(e.$metadata.httpStatusCode).toBe(429);
        expect(e.Reason).toBe("CallerRateLimitExceeded");
        expect(e.retryAfterSeconds).toBe("1");
        expect(isThrottlingError(e as never)).toBe(true);
      }
      // The fault is used up: the third call goes through.
      expect((await shift(once)).RoutingConfig?.AdditionalVersionWeights).toEqual({ "4": 0.1 });
      expect(h.account.callCounts()).toEqual({ "Lambda.UpdateAlias": 3 });
      expect(h.account.calls.map((c) => [c.ok, c.errorName, c.fault])).toEqual([
        [false, "TooManyRequestsException", "throttle"],
        [false, "TooManyRequestsException", "throttle"],
        [true, undefined, undefined],
      ]);
      once.destroy();
    });

    it("Lambda: with the SDK's default retries the call succeeds after two throttles", async () => {
      h.account.addFault({ operation: "UpdateAlias", kind: "throttle", count: 2, retryAfterSeconds: 0 });
      const out = await shift(h.lambda);
      expect(out.$metadata.attempts).toBe(3);
      expect(h.account.aliasHistory).toHaveLength(1);
      expect(h.account.callCounts((c) => !c.ok)).toEqual({ "Lambda.UpdateAlias": 2 });
    });

    it("CloudWatch: query code Throttling (HTTP 400), classified as throttling and retried", async () => {
      h.account.addFault({ operation: "CloudWatch.DescribeAlarms", kind: "throttle", count: 1 });
      const once = new CloudWatchClient({ ...h.config, maxAttempts: 1 });
      const e = await failure(once.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors"] })));
      expect(e.name).toBe("Throttling");
      expect(e.Code).toBe("Throttling");
      expect(e.$metadata.httpStatusCode).toBe(400);
      expect(isThrottlingError(e as never)).toBe(true);
      h.account.addFault({ operation: "DescribeAlarms", kind: "throttle", count: 1 });
      const out = await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors"] }));
      expect(out.$metadata.attempts).toBe(2);
      once.destroy();
    });

    it("EventBridge: ThrottlingException", async () => {
      h.account.addFault({ operation: "PutEvents", kind: "throttle", count: 1 });
      const once = new EventBridgeClient({ ...h.config, maxAttempts: 1 });
      const e = await failure(once.send(new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] })));
      expect(e.name).toBe("ThrottlingException");
      expect(isThrottlingError(e as never)).toBe(true);
      expect(h.account.events).toHaveLength(0);
      once.destroy();
    });
  });

  describe("5xx and timeouts", () => {
    it("answers the service's internal error (Lambda ServiceException 500, CloudWatch InternalServiceFault, EventBridge InternalException)", async () => {
      h.account.addFault({ operation: "*", kind: "5xx", count: 3 });
      const lambda = new LambdaClient({ ...h.config, maxAttempts: 1 });
      const cw = new CloudWatchClient({ ...h.config, maxAttempts: 1 });
      const eb = new EventBridgeClient({ ...h.config, maxAttempts: 1 });
      const errs = [
        await failure(lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }))),
        await failure(cw.send(new DescribeAlarmsCommand({}))),
        await failure(eb.send(new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }))),
      ];
      expect(errs.map((e) => [e.name, e.$metadata.httpStatusCode, e.$fault])).toEqual([
        ["ServiceException", 500, "server"],
        ["InternalServiceFault", 500, "server"],
        ["InternalException", 500, "server"],
      ]);
      for (const e of errs) expect(isTransientError(e as never)).toBe(true);
      for (const c of [lambda, cw, eb]) c.destroy();
    });

    it("a 503 is retried by the SDK's default strategy", async () => {
      h.account.addFault({ operation: "Lambda.GetAlias", kind: "5xx", status: 503, count: 1 });
      const out = await h.lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
      expect(out.$metadata.attempts).toBe(2);
      expect(h.account.calls[0]).toMatchObject({ ok: false, errorName: "ServiceException", httpStatus: 503, fault: "5xx" });
    });

    it("timeout: the socket is dropped without a response; a retrying client recovers", async () => {
      h.account.addFault({ operation: "GetAlias", kind: "timeout", count: 1, holdMs: 20 });
      const once = new LambdaClient({ ...h.config, maxAttempts: 1 });
      const e = await failure(once.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" })));
      expect(e.$metadata.httpStatusCode).toBeUndefined();
      // node-http-handler reports the dropped socket as TimeoutError / ECONNRESET ("socket hang up").
      expect([e.name, e.code]).toEqual(["TimeoutError", "ECONNRESET"]);
      expect(isTransientError(e as never)).toBe(true);
      expect(h.account.calls[0]).toMatchObject({ ok: false, errorName: "NetworkError", fault: "timeout" });
      h.account.addFault({ operation: "GetAlias", kind: "timeout", count: 1, holdMs: 20 });
      const out = await h.lambda.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
      expect(out.FunctionVersion).toBe("3");
      expect(out.$metadata.attempts).toBe(2);
      once.destroy();
    });
  });

  describe("fault scoping", () => {
    it("a window [atSeconds, untilSeconds) of simulated time fails every matching call in it", async () => {
      h.account.addFault({ operation: "Lambda.*", kind: "5xx", atSeconds: 10, untilSeconds: 20 });
      const once = new LambdaClient({ ...h.config, maxAttempts: 1 });
      const get = () => once.send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }));
      await get();
      h.clock.advance(10);
      expect((await failure(get())).name).toBe("ServiceException");
      // Other services are untouched by a Lambda.* fault.
      await h.cloudwatch.send(new DescribeAlarmsCommand({}));
      expect((await failure(get())).name).toBe("ServiceException");
      h.clock.advance(10);
      await get();
      expect(h.account.calls.map((c) => `${c.atSeconds}:${c.operation}:${c.ok}`)).toEqual(["0:GetAlias:true", "10:GetAlias:false", "10:DescribeAlarms:true", "10:GetAlias:false", "20:GetAlias:true"]);
      once.destroy();
    });

    it("rejects malformed faults", () => {
      expect(() => h.account.addFault({ operation: "UpdateAlias", kind: "explode" as never })).toThrow(/kind: must be one of throttle, 5xx, timeout/);
      expect(() => h.account.addFault({ operation: "UpdateAlias", kind: "throttle", atSeconds: 5, untilSeconds: 5 })).toThrow(/untilSeconds/);
    });
  });

  describe("routing", () => {
    it("answers UnknownOperationException for a service the account does not serve, and journals it", async () => {
      const { DynamoDBClient, ListTablesCommand } = await import("@aws-sdk/client-dynamodb");
      const ddb = new DynamoDBClient({ ...h.config, maxAttempts: 1 });
      const e = await failure(ddb.send(new ListTablesCommand({})));
      expect(e.name).toBe("UnknownOperationException");
      expect(e.message).toContain("DynamoDB_20120810.ListTables");
      expect(h.account.calls[0]).toMatchObject({ service: "Unknown", ok: false, errorName: "UnknownService" });
      ddb.destroy();
    });
  });
  },
);
