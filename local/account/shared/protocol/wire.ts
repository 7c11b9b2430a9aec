import type { IncomingHttpHeaders } from "node:http";
import type { AwsError } from "./errors.js";
import type { FaultSpec } from "../transport/faults.js";

/** One HTTP request as the server read it (body fully buffered). */
export interface WireRequest {
  method: string;
  /** The request target as sent: path and query string, percent-encoded. */
  url: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Node lower-cases header names. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** What an operation returns: the response, and a one-line summary for the call log. */
export interface Handled {
  response: WireResponse;
  summary?: string;
}

/** A request resolved to an operation of a service; `run` may throw AwsError. */
export interface ResolvedOperation {
  operation: string;
  run(): Handled;
}

/**
 * One AWS service served by the simulated account: a wire handler (`*-api.ts`) over a world
 * model (`*-world.ts`). Adding a service = a file pair plus an entry in the server's route list.
 */
export interface ServiceApi {
  /** SDK service id without spaces: "Lambda", "CloudWatch", "EventBridge". */
  readonly service: string;
  /** Does this request belong to this service (X-Amz-Target prefix, path prefix)? */
  matches(req: WireRequest): boolean;
  resolve(req: WireRequest): ResolvedOperation;
  /** Renders an error in this service's protocol. */
  renderError(error: AwsError): WireResponse;
  /** The error this service really returns when throttling / failing internally. */
  faultError(kind: "throttle" | "5xx", operation: string, fault: FaultSpec): AwsError;
}

export function headerValue(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function jsonBody(req: WireRequest): unknown {
  const text = req.body.toString("utf8");
  return text.trim() === "" ? {} : JSON.parse(text);
}
