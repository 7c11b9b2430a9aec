import { describe, expect, it } from "vitest";
import { LocalStepFunctions } from "../../../local/runtime/local-sfn.js";

/**
 * The runtime that is the Step Functions service of its own executions (`run --endpoint`) answers StartExecution of
 * the stack's state machines; anything else, and input that is not JSON, goes on to the endpoint, which answers as AWS
 * does (InvalidExecutionInput). It once threw a SyntaxError from JSON.parse instead, for any state machine, and a test
 * file that left such a runtime active made the simulated account's InvalidExecutionInput test fail after it.
 */
describe("LocalStepFunctions.handle(StartExecution)", () => {
  const started: { arn: string; name: string; input: unknown }[] = [];
  const sfn = new LocalStepFunctions((arn, name, input) => {
    if (!arn.endsWith(":ours")) return undefined;
    started.push({ arn, name, input });
    return { executionArn: `${arn}:${name}`, closed: new Promise(() => undefined) };
  });

  it.each([
    ["not JSON", { stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:ours", name: "a", input: "{not json" }],
    ["another state machine", { stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:theirs", name: "b", input: "{}" }],
  ])("leaves it to the endpoint: %s", (_label, request) => {
    expect(sfn.handle("StartExecution", request)).toBeUndefined();
    expect(started).toEqual([]);
  });

  it("starts one of ours with its parsed input", () => {
    const answer = sfn.handle("StartExecution", { stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:ours", name: "c", input: '{"x":1}' });
    expect(answer).toMatchObject({ executionArn: "arn:aws:states:us-east-1:1:stateMachine:ours:c" });
    expect(started).toEqual([{ arn: "arn:aws:states:us-east-1:1:stateMachine:ours", name: "c", input: { x: 1 } }]);
  });
});
