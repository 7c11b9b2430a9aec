import { ResourceNotFoundException, ServiceException, TooManyRequestsException } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { isTransient, toStepDeployError } from "../../../functions/adapters/aws-errors.js";
import { ErrorNames, StepDeployError, ValidationError } from "../../../functions/domain/errors.js";
import { awsError, OTHER_CASES, TRANSIENT_CASES } from "./helpers.js";

describe("isTransient", () => {
  it.each(TRANSIENT_CASES)("%s is transient", (_label, make) => {
    expect(isTransient(make())).toBe(true);
  });

  it.each(OTHER_CASES)("%s is not transient", (_label, make) => {
    expect(isTransient(make())).toBe(false);
  });

  it("ResourceNotFoundException (404, client fault) is not transient", () => {
    expect(isTransient(awsError("ResourceNotFoundException", { $fault: "client", httpStatusCode: 404 }))).toBe(false);
  });

  it("the SDK's own exception classes classify by name and $fault", () => {
    expect(isTransient(new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isTransient(new ServiceException({ message: "internal", $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isTransient(new ResourceNotFoundException({ message: "Function not found", $metadata: { httpStatusCode: 404 } }))).toBe(false);
  });

  it("honours the SDK's $retryable marker on an otherwise unknown error", () => {
    expect(isTransient(awsError("SomethingNew", { $fault: "client", httpStatusCode: 400, $retryable: { throttling: false } }))).toBe(true);
  });

  it("a 4xx status alone is not transient", () => {
    expect(isTransient(awsError("ValidationException", { httpStatusCode: 400 }))).toBe(false);
  });

  it.each([undefined, null, "ThrottlingException", 503])("a non-object (%s) is not transient", (value) => {
    expect(isTransient(value)).toBe(false);
  });
});

describe("toStepDeployError", () => {
  it.each(TRANSIENT_CASES)("%s -> Deploy.Transient", (_label, make) => {
    const cause = make();
    const e = toStepDeployError(cause, "GetAlias orders:live");
    expect(e).toBeInstanceOf(StepDeployError);
    expect(e.name).toBe(ErrorNames.Transient);
    expect(e.message).toBe(`GetAlias orders:live: ${cause.name}: ${cause.message}`);
    expect(e.cause).toBe(cause);
  });

  it("ResourceNotFoundException -> Deploy.ResourceNotFound, naming what was asked for", () => {
    const cause = new ResourceNotFoundException({ message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:orders:9", $metadata: { httpStatusCode: 404 } });
    const e = toStepDeployError(cause, "GetFunctionConfiguration orders:9");
    expect(e.name).toBe(ErrorNames.ResourceNotFound);
    expect(e.message).toBe(`GetFunctionConfiguration orders:9: ResourceNotFoundException: ${cause.message}`);
    expect(e.cause).toBe(cause);
  });

  it.each(OTHER_CASES)("%s -> Deploy.AwsError with the AWS error name in the message", (label, make) => {
    const cause = make();
    const e = toStepDeployError(cause, "Invoke hook");
    expect(e.name).toBe(ErrorNames.AwsError);
    expect(e.message).toContain(label);
    expect(e.message.startsWith("Invoke hook: ")).toBe(true);
    expect(e.cause).toBe(cause);
  });

  it("a StepDeployError passes through unchanged (same object)", () => {
    const original = new StepDeployError(ErrorNames.HookFailed, "BeforeAllowTraffic hook h failed: nope");
    expect(toStepDeployError(original, "Invoke h")).toBe(original);
    const validation = new ValidationError("alias", "does not exist", ErrorNames.ResourceNotFound);
    expect(toStepDeployError(validation, "GetAlias")).toBe(validation);
  });

  it("a thrown non-Error becomes Deploy.AwsError with its text", () => {
    const e = toStepDeployError("boom", "DescribeAlarms");
    expect(e.name).toBe(ErrorNames.AwsError);
    expect(e.message).toBe("DescribeAlarms: Error: boom");
  });
});
