import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createPipelineEventsAdapter } from "../../../functions/adapters/eventbridge-pipelines.js";
import { stageEvent } from "../../../functions/domain/pipeline/execution/events.js";

const eb = mockClient(EventBridgeClient);
const ctx = { pipeline: "app", executionId: "e1", version: 1, attempt: 1, region: "us-east-1", account: "111122223333" };
const entries = (n: number) => Array.from({ length: n }, (_, i) => stageEvent(ctx, `Stage${i}`, "STARTED"));

beforeEach(() => eb.reset());

describe("pipeline events adapter (PutEvents)", () => {
  it("sends at most ten entries per request, on the stack's bus, as they were built", async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await createPipelineEventsAdapter("stepdeploy-dev", new EventBridgeClient({})).putPipelineEvents(entries(23));
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.[0]).toMatchObject({ Source: "stepdeploy", DetailType: "CodePipeline Stage Execution State Change", EventBusName: "stepdeploy-dev", Resources: ["arn:aws:codepipeline:us-east-1:111122223333:app"] });
  });

  it("a rejected entry is a named error that says why", async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." }] });
    await expect(createPipelineEventsAdapter("b", new EventBridgeClient({})).putPipelineEvents(entries(1))).rejects.toMatchObject({ name: "Deploy.AwsError", message: "PutEvents (pipeline state change): MalformedDetail: Detail is malformed." });
  });

  it("throttling is transient", async () => {
    eb.on(PutEventsCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: {} }));
    await expect(createPipelineEventsAdapter("b", new EventBridgeClient({ maxAttempts: 1 })).putPipelineEvents(entries(1))).rejects.toMatchObject({ name: "Deploy.Transient" });
  });
});
