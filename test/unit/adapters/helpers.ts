import type { LambdaDeployment } from "../../../functions/domain/deployment/state.js";

/** An error shaped like one the AWS SDK throws (name, $fault, $metadata, code, $retryable). */
export function awsError(
  name: string,
  extra: { message?: string; $fault?: "client" | "server"; httpStatusCode?: number; code?: string; $retryable?: unknown } = {},
): Error {
  const e = new Error(extra.message ?? `${name} raised by the mock`) as Error & Record<string, unknown>;
  e.name = name;
  e.$metadata = { httpStatusCode: extra.httpStatusCode };
  if (extra.$fault) e.$fault = extra.$fault;
  if (extra.code) e.code = extra.code;
  if (extra.$retryable !== undefined) e.$retryable = extra.$retryable;
  return e;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function errorOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

/**
 * The transient cases the brief names: throttling (three spellings), 5xx (by $fault and by
 * status), network (by name and by code).
 */
export const TRANSIENT_CASES: [string, () => Error][] = [
  ["TooManyRequestsException", () => awsError("TooManyRequestsException", { $fault: "client", httpStatusCode: 429 })],
  ["ThrottlingException", () => awsError("ThrottlingException", { $fault: "client", httpStatusCode: 400 })],
  ["Throttling", () => awsError("Throttling", { $fault: "client", httpStatusCode: 400 })],
  ["$fault server (500)", () => awsError("InternalServiceFault", { $fault: "server", httpStatusCode: 500 })],
  ["httpStatusCode 503 without $fault", () => awsError("ServiceUnavailable", { httpStatusCode: 503 })],
  ["TimeoutError", () => awsError("TimeoutError", { message: "Connection timed out after 1000 ms" })],
  ["code ECONNRESET", () => awsError("Error", { message: "socket hang up", code: "ECONNRESET" })],
];

/** Not transient, not "not found": the caller's problem, surfaced as Deploy.AwsError. */
export const OTHER_CASES: [string, () => Error][] = [
  ["InvalidParameterValueException", () => awsError("InvalidParameterValueException", { $fault: "client", httpStatusCode: 400 })],
  ["AccessDeniedException", () => awsError("AccessDeniedException", { $fault: "client", httpStatusCode: 403 })],
];

/** A complete deployment as it flows through the state machine; fields the type gains later stay optional here. */
export function deployment(overrides: Partial<LambdaDeployment> = {}): LambdaDeployment {
  const base: Partial<LambdaDeployment> = {
    deploymentId: "d-ADAPTER01",
    application: "orders-app",
    deploymentGroup: "orders-prod",
    functionName: "orders",
    alias: "live",
    aliasArn: "arn:aws:lambda:us-east-1:123456789012:function:orders:live",
    region: "us-east-1",
    currentVersion: "3",
    targetVersion: "4",
    config: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    hooks: { beforeAllowTraffic: "CodeDeployHook_orders_preTraffic", afterAllowTraffic: "CodeDeployHook_orders_postTraffic", timeoutSeconds: 600 },
    alarms: ["orders-errors", "orders-latency-p99"],
    ignorePollAlarmFailure: false,
    alarmPollSeconds: 60,
    autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    resources: ["arn:aws:lambda:us-east-1:123456789012:function:orders:live"],
  };
  return { ...base, ...overrides } as LambdaDeployment;
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (b: Uint8Array | undefined): string => (b ? new TextDecoder().decode(b) : "");
