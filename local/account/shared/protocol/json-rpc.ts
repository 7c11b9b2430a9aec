import { AwsError } from "./errors.js";
import type { FaultSpec } from "../transport/faults.js";
import { type Handled, type ResolvedOperation, type ServiceApi, type WireRequest, type WireResponse, headerValue, jsonBody } from "./wire.js";

/**
 * AWS JSON 1.0 / 1.1 RPC protocols: POST /, `X-Amz-Target: <ServiceTarget>.<Operation>`, JSON in
 * and out, errors as `{"__type": "<namespace>#<Code>", "message": ...}`.
 *
 * awsQueryCompatible services (CloudWatch in SDK 3.1164.0: `awsQueryCompatible: true` in
 * client-cloudwatch's protocolSettings) additionally send `x-amzn-query-error: <QueryCode>;<Sender|Receiver>`.
 * The SDK (@aws-sdk/core ProtocolLib.setQueryCompatError) copies that code into the body's `Code`,
 * reads the code in the order body `code`, header, `__type` (`loadJsonRpcErrorCode(..., queryCompat)`)
 * and maps it back to the modelled exception through its `awsQueryError` trait
 * (`findQueryCompatibleError`), e.g. `InvalidFormat` -> InvalidFormatFault. A code with no model
 * (e.g. CloudWatch's `Throttling`) becomes the service's base exception with that `name`.
 */
export interface JsonRpcProtocol {
  version: "1.0" | "1.1";
  /** X-Amz-Target prefix, e.g. `GraniteServiceVersion20100801`, `AWSEvents`. */
  target: string;
  /** Smithy namespace used in `__type`, e.g. `com.amazonaws.cloudwatch`. */
  namespace: string;
  queryCompatible?: boolean;
}

export function targetOperation(p: JsonRpcProtocol, req: WireRequest): string | undefined {
  const target = headerValue(req, "x-amz-target");
  if (!target?.startsWith(`${p.target}.`)) return undefined;
  return target.slice(p.target.length + 1);
}

export function jsonRpcResponse(p: JsonRpcProtocol, body: unknown): WireResponse {
  return { status: 200, headers: { "content-type": `application/x-amz-json-${p.version}` }, body: JSON.stringify(body ?? {}) };
}

export function jsonRpcError(p: JsonRpcProtocol, error: AwsError): WireResponse {
  const headers: Record<string, string> = { "content-type": `application/x-amz-json-${p.version}`, ...error.headers };
  if (p.queryCompatible) headers["x-amzn-query-error"] = `${error.queryCode ?? error.code};${error.fault === "client" ? "Sender" : "Receiver"}`;
  const type = error.code.includes("#") ? error.code : `${p.namespace}#${error.code}`;
  return { status: error.status, headers, body: JSON.stringify({ __type: type, message: error.message, ...error.fields }) };
}

/**
 * Resolves a JSON 1.0/1.1 request to one of a service's operations: the operation named by
 * X-Amz-Target, run on the parsed body, with AWS's errors for an unknown operation or a body
 * that is not JSON.
 */
export function resolveJsonRpc(p: JsonRpcProtocol, req: WireRequest, ops: Record<string, (body: Record<string, unknown>) => Handled>): ResolvedOperation {
  const operation = targetOperation(p, req) ?? "Unknown";
  const op = ops[operation];
  return {
    operation,
    run: () => {
      if (!op) throw new AwsError("UnknownOperationException", `Operation ${operation} is not supported by the simulated account`, { status: 400 });
      let body: Record<string, unknown>;
      try {
        body = jsonBody(req) as Record<string, unknown>;
      } catch {
        throw new AwsError("SerializationException", "Request body is not valid JSON", { status: 400 });
      }
      return op(body);
    },
  };
}

/**
 * A service served over AWS JSON 1.0/1.1 (CloudWatch, EventBridge, Step Functions, and the ECS,
 * SSM, CodeBuild to come): requests are routed by X-Amz-Target and errors rendered as `__type`.
 * A subclass names its protocol, lists its operations and says how it throttles and fails.
 */
export abstract class JsonRpcApi implements ServiceApi {
  abstract readonly service: string;
  protected abstract readonly protocol: JsonRpcProtocol;
  protected abstract readonly ops: Record<string, (body: Record<string, unknown>) => Handled>;

  abstract faultError(kind: "throttle" | "5xx", operation: string, fault: FaultSpec): AwsError;

  matches(req: WireRequest): boolean {
    return targetOperation(this.protocol, req) !== undefined;
  }

  resolve(req: WireRequest): ResolvedOperation {
    return resolveJsonRpc(this.protocol, req, this.ops);
  }

  renderError(error: AwsError): WireResponse {
    return jsonRpcError(this.protocol, error);
  }

  /** A successful answer in this protocol, with its one-line summary for the call log. */
  protected ok(body: unknown, summary?: string): Handled {
    return { response: jsonRpcResponse(this.protocol, body), summary };
  }
}
