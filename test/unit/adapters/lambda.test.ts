import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  PreconditionFailedException,
  ResourceNotFoundException,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getAlias, getFunctionVersion, invokeFunction, lambdaClient, updateAlias } from "../../../functions/adapters/lambda.js";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import { awsError, bytes, errorOf, OTHER_CASES, TRANSIENT_CASES, text } from "./helpers.js";

// Patches LambdaClient.prototype.send, so the adapters' cached default client is mocked too.
const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());
afterAll(() => lambda.restore());

const ALIAS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders:live";
const payloadBlob = (s: string) => bytes(s) as unknown as InvokeCommandOutput["Payload"];

describe("getAlias", () => {
  it("sends GetAlias {FunctionName, Name} and returns the alias with its routing weights", async () => {
    lambda.on(GetAliasCommand).resolves({
      AliasArn: ALIAS_ARN,
      Name: "live",
      FunctionVersion: "3",
      RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } },
      RevisionId: "rev-7",
    });
    const alias = await getAlias("orders", "live");
    expect(alias).toEqual({ aliasArn: ALIAS_ARN, functionVersion: "3", weights: { "4": 0.1 }, revisionId: "rev-7" });
    const calls = lambda.commandCalls(GetAliasCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({ FunctionName: "orders", Name: "live" });
  });

  it("an alias without RoutingConfig has no weights", async () => {
    lambda.on(GetAliasCommand).resolves({ AliasArn: ALIAS_ARN, FunctionVersion: "7" });
    expect(await getAlias("orders", "live")).toEqual({ aliasArn: ALIAS_ARN, functionVersion: "7", weights: {}, revisionId: "" });
  });

  it("an empty AdditionalVersionWeights stays empty", async () => {
    lambda.on(GetAliasCommand).resolves({ AliasArn: ALIAS_ARN, FunctionVersion: "7", RoutingConfig: { AdditionalVersionWeights: {} } });
    expect((await getAlias("orders", "live")).weights).toEqual({});
  });

  it("a missing alias -> Deploy.ResourceNotFound naming function:alias", async () => {
    lambda.on(GetAliasCommand).rejects(new ResourceNotFoundException({ message: "Alias not found: live", $metadata: { httpStatusCode: 404 } }));
    const e = await errorOf(getAlias("orders", "live"));
    expect(e).toBeInstanceOf(StepDeployError);
    expect(e.name).toBe(ErrorNames.ResourceNotFound);
    expect(e.message).toBe("GetAlias orders:live: ResourceNotFoundException: Alias not found: live");
  });

  it("uses an explicitly given client instead of the cached one", async () => {
    const own = new LambdaClient({ region: "eu-west-1" });
    lambda.on(GetAliasCommand).resolves({ AliasArn: "arn:aws:lambda:eu-west-1:1:function:f:a", FunctionVersion: "1" });
    expect((await getAlias("f", "a", own)).aliasArn).toBe("arn:aws:lambda:eu-west-1:1:function:f:a");
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(1);
  });
});

describe("updateAlias", () => {
  it("sends UpdateAlias with the weights and the RevisionId it was decided on, and returns the new alias", async () => {
    lambda.on(UpdateAliasCommand).resolves({ AliasArn: ALIAS_ARN, FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } }, RevisionId: "rev-2" });
    expect(await updateAlias("orders", "live", { functionVersion: "3", weights: { "4": 0.1 } }, "rev-1")).toEqual({ aliasArn: ALIAS_ARN, functionVersion: "3", weights: { "4": 0.1 }, revisionId: "rev-2" });
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toStrictEqual({
      FunctionName: "orders",
      Name: "live",
      FunctionVersion: "3",
      RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } },
      RevisionId: "rev-1",
    });
  });

  it("`{}` weights clear the routing config (100% on one version)", async () => {
    lambda.on(UpdateAliasCommand).resolves({ AliasArn: ALIAS_ARN, FunctionVersion: "4", RevisionId: "rev-3" });
    await updateAlias("orders", "live", { functionVersion: "4", weights: {} }, "rev-2");
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input.RoutingConfig).toEqual({ AdditionalVersionWeights: {} });
  });

  it("Lambda's PreconditionFailedException (the alias changed since that revision) -> Deploy.TrafficConflict", async () => {
    lambda.on(UpdateAliasCommand).rejects(new PreconditionFailedException({ message: "The Revision Id provided does not match the latest Revision Id.", $metadata: { httpStatusCode: 412 } }));
    const e = await errorOf(updateAlias("orders", "live", { functionVersion: "3", weights: { "4": 0.1 } }, "rev-1"));
    expect(e.name).toBe(ErrorNames.TrafficConflict);
    expect(e.message).toBe("UpdateAlias orders:live: the alias changed since revision rev-1");
  });
});

describe("getFunctionVersion", () => {
  it("with a qualifier: sends GetFunctionConfiguration {FunctionName, Qualifier}", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ Version: "4", FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders:4" });
    expect(await getFunctionVersion("orders", "4")).toEqual({ version: "4", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders:4" });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]!.args[0].input).toStrictEqual({ FunctionName: "orders", Qualifier: "4" });
  });

  it("without a qualifier: no Qualifier value is sent (the function's $LATEST)", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ Version: "$LATEST", FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:hook" });
    expect(await getFunctionVersion("hook")).toEqual({ version: "$LATEST", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:hook" });
    const input = lambda.commandCalls(GetFunctionConfigurationCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe("hook");
    expect(input.Qualifier).toBeUndefined();
  });

  it("answers only when the input matches: a mock keyed on the qualifier", async () => {
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: "orders", Qualifier: "4" }).resolves({ Version: "4", FunctionArn: "arn4" });
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: "orders", Qualifier: "9" })
      .rejects(new ResourceNotFoundException({ message: "Function not found: orders:9", $metadata: { httpStatusCode: 404 } }));
    expect((await getFunctionVersion("orders", "4")).version).toBe("4");
    const e = await errorOf(getFunctionVersion("orders", "9"));
    expect(e.name).toBe(ErrorNames.ResourceNotFound);
    expect(e.message).toBe("GetFunctionConfiguration orders:9: ResourceNotFoundException: Function not found: orders:9");
  });

  it("the error message leaves out the qualifier when there is none", async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError("AccessDeniedException", { $fault: "client", httpStatusCode: 403, message: "not authorized" }));
    const e = await errorOf(getFunctionVersion("hook"));
    expect(e.name).toBe(ErrorNames.AwsError);
    expect(e.message).toBe("GetFunctionConfiguration hook: AccessDeniedException: not authorized");
  });
});

describe("invokeFunction", () => {
  const payload = { deploymentId: "d-1", lifecycleEvent: "BeforeAllowTraffic", nested: { list: [1, "two"], unicode: "é✓" } };

  it("sends Invoke RequestResponse with the JSON payload as UTF-8 bytes", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadBlob('{"status":"Succeeded"}') });
    await invokeFunction("CodeDeployHook_orders_preTraffic", payload);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe("CodeDeployHook_orders_preTraffic");
    expect(input.InvocationType).toBe("RequestResponse");
    expect(input.Payload).toBeInstanceOf(Uint8Array);
    expect(Array.from(input.Payload as Uint8Array)).toEqual(Array.from(bytes(JSON.stringify(payload))));
    expect(JSON.parse(text(input.Payload as Uint8Array))).toEqual(payload);
    expect(Object.keys(input).sort()).toEqual(["FunctionName", "InvocationType", "Payload"]);
  });

  it("returns the payload text and no function error on success", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadBlob('{"status":"Succeeded"}') });
    expect(await invokeFunction("h", {})).toEqual({ functionError: undefined, payload: '{"status":"Succeeded"}' });
  });

  it("returns FunctionError and the error payload text when the function threw", async () => {
    const body = '{"errorType":"Error","errorMessage":"smoke test failed","trace":[]}';
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: "Unhandled", Payload: payloadBlob(body) });
    expect(await invokeFunction("h", {})).toEqual({ functionError: "Unhandled", payload: body });
  });

  it("no Payload in the response is the empty string", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    expect(await invokeFunction("h", {})).toEqual({ functionError: undefined, payload: "" });
  });

  it("a missing hook function -> Deploy.ResourceNotFound", async () => {
    lambda.on(InvokeCommand).rejects(new ResourceNotFoundException({ message: "Function not found: h", $metadata: { httpStatusCode: 404 } }));
    const e = await errorOf(invokeFunction("h", {}));
    expect(e.name).toBe(ErrorNames.ResourceNotFound);
    expect(e.message).toBe("Invoke h: ResourceNotFoundException: Function not found: h");
  });
});

describe("error mapping at every Lambda call", () => {
  const calls: [string, () => Promise<unknown>][] = [
    ["getAlias", () => getAlias("orders", "live")],
    ["getFunctionVersion", () => getFunctionVersion("orders", "4")],
    ["invokeFunction", () => invokeFunction("h", { a: 1 })],
  ];

  describe.each(calls)("%s", (_name, call) => {
    it.each(TRANSIENT_CASES)("%s -> Deploy.Transient", async (_label, make) => {
      const cause = make();
      lambda.onAnyCommand().rejects(cause);
      const e = await errorOf(call());
      expect(e).toBeInstanceOf(StepDeployError);
      expect(e.name).toBe(ErrorNames.Transient);
      expect(e.cause).toBe(cause);
    });

    it.each(OTHER_CASES)("%s -> Deploy.AwsError naming it", async (label, make) => {
      lambda.onAnyCommand().rejects(make());
      const e = await errorOf(call());
      expect(e.name).toBe(ErrorNames.AwsError);
      expect(e.message).toContain(label);
    });

    it("ResourceNotFoundException -> Deploy.ResourceNotFound", async () => {
      lambda.onAnyCommand().rejects(new ResourceNotFoundException({ message: "gone", $metadata: { httpStatusCode: 404 } }));
      expect((await errorOf(call())).name).toBe(ErrorNames.ResourceNotFound);
    });

    it("a StepDeployError thrown below the adapter passes through unchanged", async () => {
      const original = new StepDeployError(ErrorNames.Stopped, "stopped by request");
      lambda.onAnyCommand().rejects(original);
      expect(await errorOf(call())).toBe(original);
    });

    it("one call, no retry inside the adapter (the state machine retries Deploy.Transient)", async () => {
      lambda.onAnyCommand().rejects(awsError("ThrottlingException", { $fault: "client", httpStatusCode: 400 }));
      await errorOf(call());
      expect(lambda.calls()).toHaveLength(1);
    });
  });
});

describe("lambdaClient", () => {
  it("is cached per endpoint and region", () => {
    expect(lambdaClient()).toBe(lambdaClient());
  });
});
