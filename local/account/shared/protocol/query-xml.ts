import { AwsError } from "./errors.js";
import type { FaultSpec } from "../transport/faults.js";
import { type Handled, type ResolvedOperation, type ServiceApi, type WireRequest, type WireResponse, headerValue } from "./wire.js";

/**
 * The AWS query protocol (awsQuery) as SDK v3 speaks it (`@aws-sdk/core` AwsQueryProtocol): POST /
 * with a form-encoded body `Action=<Op>&Version=<version>&<members>`, lists as `Name.member.N`,
 * nested structures as dotted paths, maps as `Name.entry.N.key/value`; answers in XML,
 * `<OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>...</ResponseMetadata></OpResponse>`,
 * lists as `<member>` children, timestamps in ISO 8601; errors as
 * `<ErrorResponse><Error><Type>Sender</Type><Code>...</Code><Message>...</Message></Error><RequestId>...</RequestId></ErrorResponse>`
 * (the SDK reads `Error.Code`, `loadQueryErrorCode`, and maps it to the modelled exception by its
 * `awsQueryError` code, e.g. `ListenerNotFound` -> ListenerNotFoundException). Used by ELBv2; EC2,
 * Auto Scaling and SNS speak the same protocol.
 */
export interface QueryProtocol {
  /** The API version every request carries, e.g. `2015-12-01`. */
  version: string;
  /** The XML namespace of answers, e.g. `http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/`. */
  xmlns: string;
}

/** A decoded form body: strings, nested objects and lists (`member.N` and `entry.N` become arrays). */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryParams = Record<string, QueryValue>;

const isForm = (req: WireRequest) => (headerValue(req, "content-type") ?? "").startsWith("application/x-www-form-urlencoded");

/** The form parameters of a query request (body, or the query string of a GET). */
export function queryParams(req: WireRequest): URLSearchParams {
  return req.method === "POST" && isForm(req) ? new URLSearchParams(req.body.toString("utf8")) : req.query;
}

/**
 * Turns flat form keys into a tree: `DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10`
 * becomes `{DefaultActions: [{ForwardConfig: {TargetGroups: [undefined, {Weight: "10"}]}}]}` (lists are
 * compacted in index order). An empty list is sent as `Name=` and decodes to the empty string.
 */
export function decodeQuery(params: URLSearchParams): QueryParams {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    const parts = key.split(".");
    const listAt = (j: number) => (parts[j] === "member" || parts[j] === "entry") && /^\d+$/.test(parts[j + 1] ?? "");
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length; i++) {
      // `X.member.N` (lists) and `X.entry.N` (maps): X's node is a list keyed by N
      const name = listAt(i) ? (parts[++i] as string) : (parts[i] as string);
      if (i === parts.length - 1) node[name] = value;
      else node = child(node, name, listAt(i + 1));
    }
  }
  return compact(root) as QueryParams;
}

const LIST = Symbol("list");

function child(node: Record<string, unknown>, key: string, list = false): Record<string, unknown> {
  const existing = node[key];
  if (typeof existing === "object" && existing !== null) return existing as Record<string, unknown>;
  const made: Record<string | symbol, unknown> = {};
  if (list) made[LIST] = true;
  node[key] = made;
  return made as Record<string, unknown>;
}

function compact(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string | symbol, unknown>;
  if (o[LIST]) {
    return Object.keys(o)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => compact(o[k]));
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, compact(x)]));
}

export const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A value as XML children: arrays as `<member>` items (EC2: `<item>`), objects as elements, dates in ISO 8601; undefined/null omitted. */
export function toXml(value: unknown, item = "member"): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => `<${item}>${toXml(v, item)}</${item}>`).join("");
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, item)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

export function queryResponse(p: QueryProtocol, operation: string, result: unknown, requestId: string): WireResponse {
  const body = `<${operation}Response xmlns="${p.xmlns}"><${operation}Result>${toXml(result)}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, headers: { "content-type": "text/xml" }, body };
}

export function queryError(p: QueryProtocol, error: AwsError, requestId: string): WireResponse {
  const type = error.fault === "client" ? "Sender" : "Receiver";
  const body = `<ErrorResponse xmlns="${p.xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(error.queryCode ?? error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { "content-type": "text/xml", ...error.headers }, body };
}

/**
 * A service served over the query protocol: requests are routed by `Action` (and claimed by their
 * `Version`), answers rendered as XML. A subclass names its protocol, lists its operations and says
 * how it throttles and fails.
 */
export abstract class QueryApi implements ServiceApi {
  abstract readonly service: string;
  protected abstract readonly protocol: QueryProtocol;
  protected abstract readonly ops: Record<string, (params: QueryParams) => Handled>;
  /**
   * The query protocol's common errors (AWS "Common Errors": `Throttling` HTTP 400 "Rate exceeded", `InternalFailure`
   * HTTP 500), as CloudFormation, Elastic Beanstalk and Auto Scaling answer; a service with its own names overrides it.
   */
  faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("Throttling", "Rate exceeded", { status: 400 });
    return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure (simulated)", { status: fault.status ?? 500 });
  }

  constructor(private readonly requestId: () => string) {}

  matches(req: WireRequest): boolean {
    if (req.path !== "/" && req.path !== "") return false;
    return queryParams(req).get("Version") === this.protocol.version;
  }

  resolve(req: WireRequest): ResolvedOperation {
    const params = queryParams(req);
    const operation = params.get("Action") ?? "Unknown";
    const op = this.ops[operation];
    return {
      operation,
      run: () => {
        if (!op) throw new AwsError("InvalidAction", `The action ${operation} is not valid for this web service.`, { status: 400 });
        return op(this.decode(params));
      },
    };
  }

  renderError(error: AwsError): WireResponse {
    return queryError(this.protocol, error, this.requestId());
  }

  /** The form parameters as a tree (EC2's protocol flattens lists differently: ec2-query.ts). */
  protected decode(params: URLSearchParams): QueryParams {
    return decodeQuery(params);
  }

  /** A successful answer (`<OpResult>` holds `result`), with its one-line summary for the call log. */
  protected ok(operation: string, result: unknown, summary?: string): Handled {
    return { response: queryResponse(this.protocol, operation, result, this.requestId()), summary };
  }

  protected newRequestId(): string {
    return this.requestId();
  }
}
