import type { AwsError } from "./errors.js";
import { escapeXml, QueryApi, type QueryParams, toXml } from "./query-xml.js";
import type { Handled, WireResponse } from "./wire.js";

/**
 * The EC2 query protocol (ec2Query) as @aws-sdk/client-ec2 speaks it (`@aws-sdk/core` AwsEc2QueryProtocol:
 * capitalized keys, flattened lists): a form body `Action=<Op>&Version=2016-11-15&InstanceId.1=...&Filter.1.Name=...&
 * Filter.1.Value.1=...`; answers in XML without a `<OpResult>` wrapper (`useNestedResult` false), members in EC2's
 * lower-camel XML names, list items as `<item>`; errors as
 * `<Response><Errors><Error><Code>...</Code><Message>...</Message></Error></Errors><RequestID>...</RequestID></Response>`
 * (the SDK reads `Errors.Error.Code`, `loadQueryErrorCode`).
 */

/** Flat keys with numeric segments as lists: `Filter.1.Value.2=x` becomes `{Filter: [{Value: [undefined, "x"]}]}` (compacted). */
export function decodeEc2Query(params: URLSearchParams): QueryParams {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    const parts = key.split(".");
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i === parts.length - 1) node[part] = value;
      else {
        if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
        node = node[part] as Record<string, unknown>;
      }
    }
  }
  return listify(root) as QueryParams;
}

function listify(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, x]) => listify(x));
  }
  return Object.fromEntries(entries.map(([k, x]) => [k, listify(x)]));
}

/** A service over the EC2 query protocol: QueryApi's routing by Action and Version, EC2's decoding and rendering. */
export abstract class Ec2QueryApi extends QueryApi {
  protected override decode(params: URLSearchParams): QueryParams {
    return decodeEc2Query(params);
  }

  protected override ok(operation: string, result: unknown, summary?: string): Handled {
    const body = `<${operation}Response xmlns="${this.protocol.xmlns}"><requestId>${this.newRequestId()}</requestId>${toXml(result, "item")}</${operation}Response>`;
    return { response: { status: 200, headers: { "content-type": "text/xml" }, body }, summary };
  }

  override renderError(error: AwsError): WireResponse {
    const body = `<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${this.newRequestId()}</RequestID></Response>`;
    return { status: error.status, headers: { "content-type": "text/xml", ...error.headers }, body };
  }
}
