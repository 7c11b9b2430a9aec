/**
 * A service error as the simulated account raises it. The wire handlers render it in the
 * service's protocol (protocol/rest-json.ts, protocol/json-rpc.ts), so that the AWS SDK v3 parses
 * it into an exception whose `name` is `code` (e.g. `ResourceNotFoundException`).
 */
export type ErrorFault = "client" | "server";

export interface AwsErrorInit {
  status: number;
  fault?: ErrorFault;
  /** Extra members of the error body (e.g. Lambda's `Reason`). */
  fields?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** awsQuery-compatible services (CloudWatch): the legacy query error code, if it differs from `code`. */
  queryCode?: string;
}

export class AwsError extends Error {
  readonly status: number;
  readonly fault: ErrorFault;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly queryCode?: string;

  constructor(
    readonly code: string,
    message: string,
    init: AwsErrorInit,
  ) {
    super(message);
    this.name = code;
    this.status = init.status;
    this.fault = init.fault ?? (init.status >= 500 ? "server" : "client");
    this.fields = init.fields ?? {};
    this.headers = init.headers ?? {};
    this.queryCode = init.queryCode;
  }
}

/** The AWS "1 validation error detected" message for a model constraint. */
export function constraintMessage(value: unknown, member: string, constraint: string): string {
  return `1 validation error detected: Value '${typeof value === "string" ? value : JSON.stringify(value)}' at '${member}' failed to satisfy constraint: ${constraint}`;
}
