import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import type { FunctionRef } from "./names.js";
import { type ScriptedResult, describeResult, takeResult } from "./script.js";
import type { FunctionRecord, LambdaWorld } from "./world.js";

/**
 * Lambda Invoke against scripted functions. Latency advances the SIMULATED clock (never wall
 * time); a latency above the function's Timeout advances by the Timeout and answers like Lambda:
 * HTTP 200, `X-Amz-Function-Error: Unhandled`, payload
 * `{"errorMessage":"<time> <requestId> Task timed out after 900.00 seconds"}` (the format Lambda
 * returns for invocation timeouts, as seen in many user reports, e.g. GH
 * alexa-samples/skill-sample-nodejs-smarthome-switch#18). A thrown error answers
 * `{"errorType","errorMessage","trace"}` with the same header (Invoke API reference, FunctionError).
 */
export type InvocationType = "RequestResponse" | "Event" | "DryRun";

/** The invocation payload as the function received it, when it was a JSON object. */
export interface InvocationPayload {
  [key: string]: unknown;
  lifecycleEvent?: string;
  deploymentId?: string;
}

export interface Invocation {
  seq: number;
  /** Simulated seconds when the invocation started. */
  atSeconds: number;
  /** Simulated seconds when it finished (Event: when it would have finished). */
  finishedAtSeconds: number;
  functionName: string;
  kind: "function" | "hook";
  qualifier?: string;
  executedVersion: string;
  invocationType: InvocationType;
  payload?: InvocationPayload;
  rawPayload: string;
  status: "Succeeded" | "Failed" | "Errored" | "TimedOut" | "Returned" | "Interrupted";
  /** Human summary, e.g. `Succeeded`, `Failed: smoke test failed`, `timed out after 900 s`. */
  outcome: string;
  latencySeconds: number;
  requestId: string;
}

export interface InvokeResult {
  statusCode: 200 | 202 | 204;
  executedVersion?: string;
  functionError?: "Unhandled";
  payload: string;
  logResult?: string;
}

/** "6 MB each for request and response (synchronous)" (Lambda quotas). */
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;

export class Invoker {
  readonly invocations: Invocation[] = [];

  constructor(private readonly world: LambdaWorld) {}

  invoke(ref: FunctionRef, body: Buffer, opts: { invocationType?: string; logType?: string; qualifier?: string; requestId: string }): InvokeResult {
    const type = (opts.invocationType ?? "RequestResponse") as InvocationType;
    if (!["RequestResponse", "Event", "DryRun"].includes(type)) {
      throw new AwsError("ValidationException", constraintMessage(type, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]"), { status: 400 });
    }
    const fn = this.world.get(ref);
    const qualifier = qualifierOf(ref, opts.qualifier);
    const version = this.pickVersion(fn, qualifier);
    if (body.byteLength > SYNC_PAYLOAD_LIMIT) {
      throw new AwsError("RequestTooLargeException", `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`, { status: 413 });
    }
    const raw = body.toString("utf8");
    let parsed: unknown;
    try {
      parsed = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch (e) {
      throw new AwsError("InvalidRequestContentException", `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`, { status: 400 });
    }
    if (type === "DryRun") return { statusCode: 204, payload: "" };

    const snap = this.world.snapshot(fn, version) ?? fn.latest;
    const step = takeResult(fn.script);
    const latency = step?.latencySeconds ?? fn.script.latencySeconds;
    const timedOut = latency > snap.timeout;
    const wanted = timedOut ? snap.timeout : latency;
    const clock = this.world.env.clock;
    const start = clock.elapsedSeconds();
    // Async invocations run in the background: the caller does not wait for them.
    const moved = type === "Event" ? wanted : clock.advance(wanted);
    const interrupted = moved + 1e-9 < wanted;
    const finished = type === "Event" ? start + wanted : clock.elapsedSeconds();
    const response = timedOut ? timeoutResponse(clock.date(), opts.requestId, snap.timeout) : stepResponse(step);

    const record: Invocation = {
      seq: this.invocations.length + 1,
      atSeconds: start,
      finishedAtSeconds: finished,
      functionName: fn.name,
      kind: fn.kind,
      executedVersion: version,
      invocationType: type,
      rawPayload: raw,
      status: interrupted ? "Interrupted" : timedOut ? "TimedOut" : statusOf(step),
      outcome: interrupted
        ? `interrupted after ${moved} s: the caller's deadline came first`
        : timedOut
          ? `timed out after ${snap.timeout} s`
          : describeResult(step),
      latencySeconds: latency,
      requestId: opts.requestId,
    };
    if (qualifier !== undefined) record.qualifier = qualifier;
    if (isObject(parsed)) record.payload = parsed as InvocationPayload;
    this.invocations.push(record);

    if (type === "Event") return { statusCode: 202, payload: "" };
    const out: InvokeResult = { statusCode: 200, executedVersion: version, payload: response.payload };
    if (response.functionError) out.functionError = "Unhandled";
    if (opts.logType === "Tail") out.logResult = logTail(opts.requestId, version, Math.max(moved, 0.001), snap.memorySize, timedOut ? response.payload : undefined);
    return out;
  }

  private pickVersion(fn: FunctionRecord, qualifier: string | undefined): string {
    if (qualifier === undefined || qualifier === "$LATEST") return "$LATEST";
    if (/^[0-9]+$/.test(qualifier)) return this.world.resolve(fn, qualifier).version;
    const alias = fn.aliases.get(qualifier);
    if (alias) return this.world.routeAlias(fn, alias);
    return this.world.resolve(fn, qualifier).version; // throws Function not found
  }
}

function qualifierOf(ref: FunctionRef, param: string | undefined): string | undefined {
  if (ref.qualifier && param && ref.qualifier !== param) {
    throw new AwsError("InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.", { status: 400 });
  }
  return param ?? ref.qualifier;
}

function isObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function statusOf(step: ScriptedResult | undefined): Invocation["status"] {
  if (!step || "return" in step) return "Returned";
  if ("throw" in step) return "Errored";
  return step.status;
}

function stepResponse(step: ScriptedResult | undefined): { payload: string; functionError?: true } {
  if (!step) return { payload: "null" };
  if ("throw" in step) {
    const errorType = step.errorType ?? "Error";
    return { payload: JSON.stringify({ errorType, errorMessage: step.throw, trace: [`${errorType}: ${step.throw}`, "    at Runtime.handler (file:///var/task/index.mjs:1:1)"] }), functionError: true };
  }
  if ("return" in step) return { payload: JSON.stringify(step.return ?? null) };
  return { payload: JSON.stringify(step.status === "Failed" && step.reason !== undefined ? { status: step.status, reason: step.reason } : { status: step.status }) };
}

function timeoutResponse(at: Date, requestId: string, timeout: number): { payload: string; functionError: true } {
  return { payload: JSON.stringify({ errorMessage: `${at.toISOString()} ${requestId} Task timed out after ${timeout.toFixed(2)} seconds` }), functionError: true };
}

/** X-Amz-Log-Result: base64 of the last 4 KB of the execution log (Invoke API reference, LogType Tail). */
function logTail(requestId: string, version: string, seconds: number, memory: number, timeoutLine?: string): string {
  const ms = (seconds * 1000).toFixed(2);
  const lines = [
    `START RequestId: ${requestId} Version: ${version}`,
    ...(timeoutLine ? [String((JSON.parse(timeoutLine) as { errorMessage: string }).errorMessage)] : []),
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${ms} ms\tBilled Duration: ${Math.ceil(seconds * 1000)} ms\tMemory Size: ${memory} MB\tMax Memory Used: 64 MB\t`,
    "",
  ];
  return Buffer.from(lines.join("\n").slice(-4096)).toString("base64");
}
