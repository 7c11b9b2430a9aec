import { InvokeCommand, type InvokeCommandOutput, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { LambdaLifecycleEvent } from "../../../functions/domain/hooks/contract.js";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import { handler } from "../../../functions/handlers/runHook.js";
import { awsError, bytes, deployment, errorOf, text } from "./helpers.js";

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());
afterAll(() => lambda.restore());

const PRE = "CodeDeployHook_orders_preTraffic";
const POST = "CodeDeployHook_orders_postTraffic";
const answer = (payload: string, functionError?: string): InvokeCommandOutput => ({
  $metadata: {},
  StatusCode: 200,
  ...(functionError ? { FunctionError: functionError } : {}),
  Payload: bytes(payload) as unknown as InvokeCommandOutput["Payload"],
});
const run = (lifecycleEvent: LambdaLifecycleEvent, d = deployment()) => handler({ deployment: d, lifecycleEvent });
const sentPayload = (i = 0): unknown => JSON.parse(text(lambda.commandCalls(InvokeCommand)[i]!.args[0].input.Payload as Uint8Array));

describe("runHook: the invocation", () => {
  it.each([
    ["BeforeAllowTraffic", PRE],
    ["AfterAllowTraffic", POST],
  ] as const)("%s invokes %s synchronously with exactly the documented payload", async (lifecycleEvent, hook) => {
    lambda.on(InvokeCommand).resolves(answer('{"status":"Succeeded"}'));
    await run(lifecycleEvent);
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.FunctionName).toBe(hook);
    expect(calls[0]!.args[0].input.InvocationType).toBe("RequestResponse");
    // Exactly these eight keys: nothing internal (aliasArn, rollbackTo, eventDetail...) leaks to user code.
    expect(sentPayload()).toStrictEqual({
      deploymentId: "d-ADAPTER01",
      lifecycleEvent,
      application: "orders-app",
      deploymentGroup: "orders-prod",
      functionName: "orders",
      alias: "live",
      currentVersion: "3",
      targetVersion: "4",
    });
    expect(lambda.calls()).toHaveLength(1);
  });

  it("a hook given as an ARN is invoked by that ARN", async () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:CodeDeployHook_orders_preTraffic";
    lambda.on(InvokeCommand).resolves(answer('{"status":"Succeeded"}'));
    await run("BeforeAllowTraffic", deployment({ hooks: { beforeAllowTraffic: arn, afterAllowTraffic: null, timeoutSeconds: 600 } }));
    expect(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.FunctionName).toBe(arn);
  });

  it("no hook configured for the event: fails without invoking anything", async () => {
    const d = deployment({ hooks: { beforeAllowTraffic: PRE, afterAllowTraffic: null, timeoutSeconds: 600 } });
    const e = await errorOf(run("AfterAllowTraffic", d));
    expect(e.message).toContain("no AfterAllowTraffic hook configured");
    expect(lambda.calls()).toHaveLength(0);
  });
});

describe("runHook: the hook's answer", () => {
  it("Succeeded -> success", async () => {
    lambda.on(InvokeCommand).resolves(answer('{"status":"Succeeded"}'));
    expect(await run("BeforeAllowTraffic")).toEqual({ hook: PRE, lifecycleEvent: "BeforeAllowTraffic", status: "Succeeded" });
  });

  it("Succeeded with extra fields is still success", async () => {
    lambda.on(InvokeCommand).resolves(answer('{"status":"Succeeded","checked":12}'));
    expect((await run("AfterAllowTraffic")).status).toBe("Succeeded");
  });

  it("Failed with a reason -> Deploy.HookFailed carrying the reason, the event and the hook", async () => {
    lambda.on(InvokeCommand).resolves(answer('{"status":"Failed","reason":"smoke test: GET /health returned 500"}'));
    const e = await errorOf(run("AfterAllowTraffic"));
    expect(e).toBeInstanceOf(StepDeployError);
    expect(e.name).toBe(ErrorNames.HookFailed);
    expect(e.message).toBe(`AfterAllowTraffic hook ${POST} failed: smoke test: GET /health returned 500`);
  });

  it("Failed without a reason -> Deploy.HookFailed saying so", async () => {
    lambda.on(InvokeCommand).resolves(answer('{"status":"Failed"}'));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.HookFailed);
    expect(e.message).toContain("reported Failed without a reason");
  });

  it("the hook threw (FunctionError) -> Deploy.HookFailed with its errorType and errorMessage", async () => {
    lambda.on(InvokeCommand).resolves(answer('{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined","trace":["at x"]}', "Unhandled"));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.HookFailed);
    expect(e.message).toBe(`BeforeAllowTraffic hook ${PRE} failed: threw TypeError: Cannot read properties of undefined`);
  });

  it("the hook timed out (FunctionError, Lambda's timeout payload) -> Deploy.HookFailed", async () => {
    lambda.on(InvokeCommand).resolves(answer('{"errorMessage":"2026-01-01T00:00:00.000Z abc Task timed out after 3.00 seconds"}', "Unhandled"));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.HookFailed);
    expect(e.message).toContain("threw Unhandled: ");
    expect(e.message).toContain("Task timed out");
  });

  it.each([
    ["not JSON", "<html>oops</html>", "not JSON"],
    ["empty payload", "", "expected {\"status\":\"Succeeded\"}"],
    ["null", "null", "returned null"],
    ["a bare string", '"Succeeded"', 'returned "Succeeded"'],
    ["the wrong case", '{"status":"succeeded"}', 'returned {"status":"succeeded"}'],
    ["CodeDeploy's status name", '{"status":"Success"}', "expected"],
    ["a number", "200", "returned 200"],
    ["an array", '[{"status":"Succeeded"}]', "expected"],
  ])("garbage (%s) -> Deploy.HookFailed", async (_label, payload, says) => {
    lambda.on(InvokeCommand).resolves(answer(payload));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.HookFailed);
    expect(e.message).toContain(says);
  });

  it("a long garbage payload is cut in the message", async () => {
    lambda.on(InvokeCommand).resolves(answer(`x${"y".repeat(5000)}`));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.HookFailed);
    expect(e.message.length).toBeLessThan(400);
  });
});

describe("runHook: the Invoke call fails", () => {
  it("the hook function does not exist -> Deploy.ResourceNotFound (not HookFailed)", async () => {
    lambda.on(InvokeCommand).rejects(new ResourceNotFoundException({ message: `Function not found: ${PRE}`, $metadata: { httpStatusCode: 404 } }));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.ResourceNotFound);
    expect(e.message).toContain(`Invoke ${PRE}`);
  });

  it("throttled -> Deploy.Transient", async () => {
    lambda.on(InvokeCommand).rejects(awsError("TooManyRequestsException", { $fault: "client", httpStatusCode: 429, message: "Rate exceeded" }));
    expect((await errorOf(run("BeforeAllowTraffic"))).name).toBe(ErrorNames.Transient);
  });

  it("not allowed -> Deploy.AwsError naming AccessDeniedException", async () => {
    lambda.on(InvokeCommand).rejects(awsError("AccessDeniedException", { $fault: "client", httpStatusCode: 403 }));
    const e = await errorOf(run("BeforeAllowTraffic"));
    expect(e.name).toBe(ErrorNames.AwsError);
    expect(e.message).toContain("AccessDeniedException");
  });
});
