import { pathToFileURL } from "node:url";
import { type EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import { asFunction } from "./principal.js";
import { IntegrationError, callAwsSdk, integrationClient } from "./sdk-integrations.js";
import type { LocalFunction, LocalStack } from "./stack.js";

/**
 * Runs one Task state's Resource the way Step Functions would:
 *  - `lambda:invoke` of one of our functions: the real handler module, in-process;
 *  - `lambda:invoke` of any other function (a user hook): Lambda Invoke through the SDK;
 *  - `aws-sdk:<service>:<action>`: that SDK call;
 *  - `events:putEvents`: EventBridge PutEvents.
 * Results have the integration's response shape; failures carry the integration's error names.
 */
export interface TaskMetrics {
  onHandlerInvocation(fn: LocalFunction, wallMs: number): void;
}

type Json = unknown;
type Handler = (event: unknown, context: object) => Promise<unknown>;

const handlerCache = new Map<string, Handler>();

async function loadHandler(fn: LocalFunction): Promise<Handler> {
  const key = `${fn.modulePath}#${fn.exportName}`;
  let h = handlerCache.get(key);
  if (!h) {
    const mod = (await import(pathToFileURL(fn.modulePath).href)) as Record<string, Handler>;
    h = mod[fn.exportName];
    if (typeof h !== "function") throw new Error(`${fn.modulePath} does not export ${fn.exportName}`);
    handlerCache.set(key, h);
  }
  return h;
}

/** A Lambda function error as lambda:invoke reports it: Error = errorType, Cause = the error JSON. */
function lambdaError(e: unknown): IntegrationError {
  const err = e as Error;
  const errorType = err?.name && err.name !== "Error" ? err.name : "Error";
  return new IntegrationError(errorType, JSON.stringify({ errorType, errorMessage: err?.message ?? String(e), trace: [] }));
}

async function invokeOwnFunction(fn: LocalFunction, payload: Json, metrics: TaskMetrics): Promise<Json> {
  const handler = await loadHandler(fn);
  const event = JSON.parse(JSON.stringify(payload ?? {}));
  const started = performance.now();
  try {
    const result = await asFunction(fn.name, () => handler(event, { functionName: fn.name, invokedFunctionArn: fn.arn, awsRequestId: crypto.randomUUID() }));
    return { ExecutedVersion: "$LATEST", StatusCode: 200, Payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
  } catch (e) {
    throw lambdaError(e);
  } finally {
    metrics.onHandlerInvocation(fn, performance.now() - started);
  }
}

async function invokeRemoteFunction(functionName: string, payload: Json): Promise<Json> {
  const client = integrationClient<LambdaClient>("lambda");
  let out: InvokeCommandOutput;
  try {
    out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload ?? {})) }));
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    throw new IntegrationError(`Lambda.${err.$metadata?.httpStatusCode ? err.name : "SdkClientException"}`, err.message);
  }
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : "null";
  if (out.FunctionError) {
    const body = JSON.parse(text) as { errorType?: string };
    throw new IntegrationError(body.errorType ?? "Lambda.Unknown", text);
  }
  return { ExecutedVersion: out.ExecutedVersion, StatusCode: out.StatusCode, Payload: JSON.parse(text) };
}

async function putEvents(params: { Entries?: Record<string, unknown>[] }): Promise<Json> {
  const Entries = (params.Entries ?? []).map((e) => ({ ...e, Detail: typeof e.Detail === "string" ? e.Detail : JSON.stringify(e.Detail ?? {}) }));
  const client = integrationClient<EventBridgeClient>("eventbridge");
  let out: PutEventsCommandOutput;
  try {
    out = await client.send(new PutEventsCommand({ Entries }));
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    // No HTTP answer at all (connection dropped): the integration reports a client-side failure.
    throw new IntegrationError(`EventBridge.${err.$metadata?.httpStatusCode ? err.name : "SdkClientException"}`, err.message);
  }
  // The optimized integration fails the task when any entry failed (error EventBridge.FailedEntry).
  if ((out.FailedEntryCount ?? 0) > 0) throw new IntegrationError("EventBridge.FailedEntry", JSON.stringify(out.Entries));
  return { Entries: out.Entries, FailedEntryCount: out.FailedEntryCount ?? 0 };
}

export async function runTaskResource(resource: string, params: Json, stack: LocalStack, metrics: TaskMetrics): Promise<Json> {
  const p = (params ?? {}) as Record<string, unknown>;
  if (resource === "arn:aws:states:::lambda:invoke") {
    const name = String(p.FunctionName ?? "");
    const own = stack.functionByArn(name);
    return own ? invokeOwnFunction(own, p.Payload, metrics) : invokeRemoteFunction(name, p.Payload);
  }
  if (resource === "arn:aws:states:::events:putEvents") return putEvents(p as { Entries?: Record<string, unknown>[] });
  if (resource === "arn:aws:states:::states:startExecution") {
    // The optimized integration without .sync: start and go on (errors are StepFunctions.<Exception>).
    const input = typeof p.Input === "string" ? p.Input : JSON.stringify(p.Input ?? {});
    try {
      const out = await callAwsSdk("sfn", "startExecution", { stateMachineArn: p.StateMachineArn, ...(p.Name ? { name: p.Name } : {}), input });
      return { ExecutionArn: out.executionArn, StartDate: out.startDate };
    } catch (e) {
      throw new IntegrationError((e as Error).name.replace(/^Sfn\./, "StepFunctions."), (e as Error).message);
    }
  }
  const sdk = resource.match(/^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/);
  if (sdk) return callAwsSdk(sdk[1] as string, sdk[2] as string, p);
  const own = stack.functionByArn(resource);
  if (own) return ((await invokeOwnFunction(own, p, metrics)) as { Payload: Json }).Payload;
  throw new IntegrationError("States.Runtime", `the local runtime cannot run resource ${resource}`);
}
