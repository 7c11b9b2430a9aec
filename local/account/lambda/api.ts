import { AwsError } from "../shared/protocol/errors.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import { type Handled, type ResolvedOperation, type ServiceApi, type WireRequest, type WireResponse, headerValue, jsonBody } from "../shared/protocol/wire.js";
import { type FunctionRef, parseFunctionName, validAliasName } from "./names.js";
import type { AliasRecord, FunctionRecord, LambdaWorld, Snapshot } from "./world.js";
import { paginate } from "../shared/protocol/paging.js";
import { restJsonError, restJsonResponse } from "../shared/protocol/rest-json.js";

/**
 * Lambda's REST-JSON API (paths and status codes as in @aws-sdk/client-lambda 3.1164.0's
 * operation schemas, e.g. UpdateAlias = PUT /2015-03-31/functions/{FunctionName}/aliases/{Name} 200,
 * CreateAlias = POST .../aliases 201, Invoke = POST .../invocations 200).
 */
type Route = { method: string; pattern: RegExp; operation: string; run: (m: string[], req: WireRequest) => Handled };

/** Lambda errors whose model member is `Message` (capitalised); the others use `message`. */
const CAPITAL_MESSAGE = new Set(["ResourceNotFoundException", "ServiceException"]);

export class LambdaApi implements ServiceApi {
  readonly service = "Lambda";
  private readonly routes: Route[];

  constructor(
    private readonly world: LambdaWorld,
    private readonly requestId: () => string,
  ) {
    const fn = "/2015-03-31/functions/([^/]+)";
    const r = (method: string, path: string, operation: string, run: Route["run"]): Route => ({ method, pattern: new RegExp(`^${path}$`), operation, run });
    this.routes = [
      r("GET", fn, "GetFunction", (m, q) => this.getFunction(m, q)),
      r("GET", `${fn}/configuration`, "GetFunctionConfiguration", (m, q) => this.getFunctionConfiguration(m, q)),
      r("GET", `${fn}/versions`, "ListVersionsByFunction", (m, q) => this.listVersions(m, q)),
      r("POST", `${fn}/versions`, "PublishVersion", (m, q) => this.publishVersion(m, q)),
      r("PUT", `${fn}/code`, "UpdateFunctionCode", (m, q) => this.updateFunctionCode(m, q)),
      r("GET", `${fn}/aliases`, "ListAliases", (m, q) => this.listAliases(m, q)),
      r("POST", `${fn}/aliases`, "CreateAlias", (m, q) => this.createAlias(m, q)),
      r("GET", `${fn}/aliases/([^/]+)`, "GetAlias", (m) => this.getAlias(m)),
      r("PUT", `${fn}/aliases/([^/]+)`, "UpdateAlias", (m, q) => this.updateAlias(m, q)),
      r("DELETE", `${fn}/aliases/([^/]+)`, "DeleteAlias", (m) => this.deleteAlias(m)),
      r("POST", `${fn}/invocations`, "Invoke", (m, q) => this.invoke(m, q)),
    ];
  }

  matches(req: WireRequest): boolean {
    return req.path.startsWith("/2015-03-31/");
  }

  resolve(req: WireRequest): ResolvedOperation {
    for (const route of this.routes) {
      const m = route.method === req.method ? route.pattern.exec(req.path) : null;
      if (m) return { operation: route.operation, run: () => route.run(m.slice(1).map((s) => decodeURIComponent(s)), req) };
    }
    return {
      operation: "Unknown",
      run: () => {
        throw new AwsError("UnknownOperationException", `Unknown operation ${req.method} ${req.path}`, { status: 404 });
      },
    };
  }

  renderError(error: AwsError): WireResponse {
    return restJsonError(error, CAPITAL_MESSAGE.has(error.code) ? "Message" : "message");
  }

  faultError(kind: "throttle" | "5xx", operation: string, fault: FaultSpec): AwsError {
    if (kind === "5xx") return new AwsError("ServiceException", "Lambda was unable to process the request (simulated internal error).", { status: fault.status ?? 500 });
    // TooManyRequestsException: 429, Retry-After header bound to `retryAfterSeconds`, member `Reason` (Lambda model).
    const retryAfter = String(fault.retryAfterSeconds ?? 1);
    return new AwsError("TooManyRequestsException", "Rate exceeded", {
      status: 429,
      headers: { "retry-after": retryAfter },
      fields: { Reason: operation === "Invoke" ? "ConcurrentInvocationLimitExceeded" : "CallerRateLimitExceeded" },
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A function reference from the path, with an optional Qualifier query parameter. */
  private ref(raw: string, req?: WireRequest): FunctionRef {
    const ref = parseFunctionName(raw);
    const q = req?.query.get("Qualifier") ?? undefined;
    if (q !== undefined && ref.qualifier !== undefined && q !== ref.qualifier) {
      throw new AwsError("InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.", { status: 400 });
    }
    return q === undefined ? ref : { ...ref, qualifier: q };
  }

  /** Alias and version operations take an unqualified function name. */
  private unqualified(raw: string): FunctionRecord {
    const ref = parseFunctionName(raw);
    if (ref.qualifier !== undefined) {
      throw new AwsError("InvalidParameterValueException", `Unsupported qualifier in function name ${raw} for this operation.`, { status: 400 });
    }
    return this.world.get(ref);
  }

  private configuration(fn: FunctionRecord, s: Snapshot, arnQualifier?: string): Record<string, unknown> {
    const arn = this.world.functionArn(fn.name);
    const out: Record<string, unknown> = {
      FunctionName: fn.name,
      FunctionArn: arnQualifier ? `${arn}:${arnQualifier}` : arn,
      Role: s.role,
      CodeSize: s.code.size,
      Description: s.description,
      Timeout: s.timeout,
      MemorySize: s.memorySize,
      LastModified: new Date(s.lastModifiedMs).toISOString().replace("Z", "+0000"),
      CodeSha256: s.code.sha256,
      Version: s.version,
      TracingConfig: { Mode: "PassThrough" },
      RevisionId: s.revisionId,
      State: "Active",
      LastUpdateStatus: s.lastUpdateStatus,
      PackageType: s.packageType,
      Architectures: ["x86_64"],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
      LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
    };
    if (s.runtime) out.Runtime = s.runtime;
    if (s.handler) out.Handler = s.handler;
    return out;
  }

  private aliasShape(fn: FunctionRecord, a: AliasRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      AliasArn: `${this.world.functionArn(fn.name)}:${a.name}`,
      Name: a.name,
      FunctionVersion: a.functionVersion,
      Description: a.description,
      RevisionId: a.revisionId,
    };
    if (Object.keys(a.weights).length) out.RoutingConfig = { AdditionalVersionWeights: { ...a.weights } };
    return out;
  }

  private maxItems(req: WireRequest, dflt: number): number {
    const raw = req.query.get("MaxItems");
    if (raw === null) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 10000) throw new AwsError("InvalidParameterValueException", `MaxItems must be between 1 and 10000; got ${raw}.`, { status: 400 });
    return n;
  }

  private body(req: WireRequest): Record<string, unknown> {
    try {
      const b = jsonBody(req);
      if (typeof b === "object" && b !== null && !Array.isArray(b)) return b as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new AwsError("InvalidRequestContentException", "Could not parse request body into json.", { status: 400 });
  }

  // ---- operations ----------------------------------------------------------------------------

  private getFunctionConfiguration([name]: string[], req: WireRequest): Handled {
    const ref = this.ref(name as string, req);
    const fn = this.world.get(ref);
    const snap = this.world.resolve(fn, ref.qualifier);
    const body = this.configuration(fn, snap, ref.qualifier);
    if (snap === fn.latest) this.world.noteRead(fn);
    return { response: restJsonResponse(200, body), summary: `${fn.name}${ref.qualifier ? `:${ref.qualifier}` : ""} v${snap.version} ${snap.lastUpdateStatus}` };
  }

  private getFunction([name]: string[], req: WireRequest): Handled {
    const ref = this.ref(name as string, req);
    const fn = this.world.get(ref);
    const snap = this.world.resolve(fn, ref.qualifier);
    const code = snap.code.imageUri
      ? { RepositoryType: "ECR", ImageUri: snap.code.imageUri, ResolvedImageUri: snap.code.imageUri }
      : {
          RepositoryType: "S3",
          Location: `https://awslambda-${this.world.env.region}-tasks.s3.${this.world.env.region}.amazonaws.com/snapshots/${this.world.env.accountId}/${fn.name}-${snap.revisionId}`,
        };
    const body = { Configuration: this.configuration(fn, snap, ref.qualifier), Code: code };
    if (snap === fn.latest) this.world.noteRead(fn);
    return { response: restJsonResponse(200, body) };
  }

  private listVersions([name]: string[], req: WireRequest): Handled {
    const fn = this.unqualified(name as string);
    const all = [fn.latest, ...[...fn.versions.values()].sort((a, b) => Number(a.version) - Number(b.version))];
    const { page, next } = paginate(all, req.query.get("Marker") ?? undefined, this.maxItems(req, 50));
    const body: Record<string, unknown> = { Versions: page.map((s) => this.configuration(fn, s, s.version)) };
    if (next) body.NextMarker = next;
    return { response: restJsonResponse(200, body) };
  }

  private publishVersion([name]: string[], req: WireRequest): Handled {
    const fn = this.unqualified(name as string);
    const b = this.body(req);
    const snap = this.world.publishVersion(fn, {
      description: optString(b.Description),
      codeSha256: optString(b.CodeSha256),
      revisionId: optString(b.RevisionId),
    });
    return { response: restJsonResponse(201, this.configuration(fn, snap, snap.version)), summary: `${fn.name} -> v${snap.version}` };
  }

  private updateFunctionCode([name]: string[], req: WireRequest): Handled {
    const fn = this.unqualified(name as string);
    const b = this.body(req);
    const bucket = optString(b.S3Bucket);
    const key = optString(b.S3Key);
    if ((bucket === undefined) !== (key === undefined)) throw new AwsError("InvalidParameterValueException", "Please provide both S3Bucket and S3Key.", { status: 400 });
    const snap = this.world.updateCode(fn, {
      zipFile: typeof b.ZipFile === "string" ? Buffer.from(b.ZipFile, "base64") : undefined,
      s3: bucket && key ? { bucket, key, objectVersion: optString(b.S3ObjectVersion) } : undefined,
      imageUri: optString(b.ImageUri),
      publish: b.Publish === true,
      dryRun: b.DryRun === true,
      revisionId: optString(b.RevisionId),
    });
    const q = snap.version === "$LATEST" ? undefined : snap.version;
    return { response: restJsonResponse(200, this.configuration(fn, snap, q)), summary: `${fn.name} ${snap.code.sha256.slice(0, 12)} ${snap.lastUpdateStatus}` };
  }

  private listAliases([name]: string[], req: WireRequest): Handled {
    const fn = this.unqualified(name as string);
    const version = req.query.get("FunctionVersion");
    const all = [...fn.aliases.values()]
      .filter((a) => version === null || a.functionVersion === version || version in a.weights)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, next } = paginate(all, req.query.get("Marker") ?? undefined, this.maxItems(req, 50));
    const body: Record<string, unknown> = { Aliases: page.map((a) => this.aliasShape(fn, a)) };
    if (next) body.NextMarker = next;
    return { response: restJsonResponse(200, body) };
  }

  private getAlias([name, alias]: string[]): Handled {
    const fn = this.unqualified(name as string);
    const a = this.world.alias(fn, alias as string);
    return { response: restJsonResponse(200, this.aliasShape(fn, a)), summary: aliasSummary(a) };
  }

  private createAlias([name]: string[], req: WireRequest): Handled {
    const fn = this.unqualified(name as string);
    const b = this.body(req);
    const alias = optString(b.Name);
    const version = optString(b.FunctionVersion);
    if (!alias || !validAliasName(alias)) throw new AwsError("ValidationException", `1 validation error detected: Value '${alias ?? ""}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`, { status: 400 });
    if (!version) throw new AwsError("InvalidParameterValueException", "FunctionVersion is required.", { status: 400 });
    const a = this.world.createAlias(fn, alias, { functionVersion: version, weights: routingWeights(b.RoutingConfig) ?? {} }, optString(b.Description) ?? "");
    return { response: restJsonResponse(201, this.aliasShape(fn, a)), summary: aliasSummary(a) };
  }

  private updateAlias([name, alias]: string[], req: WireRequest): Handled {
    const fn = this.unqualified(name as string);
    const b = this.body(req);
    const a = this.world.updateAlias(fn, alias as string, {
      functionVersion: optString(b.FunctionVersion),
      weights: routingWeights(b.RoutingConfig),
      description: optString(b.Description),
      revisionId: optString(b.RevisionId),
    });
    return { response: restJsonResponse(200, this.aliasShape(fn, a)), summary: aliasSummary(a) };
  }

  private deleteAlias([name, alias]: string[]): Handled {
    const fn = this.unqualified(name as string);
    this.world.deleteAlias(fn, alias as string);
    return { response: { status: 204, headers: {}, body: "" } };
  }

  private invoke([name]: string[], req: WireRequest): Handled {
    const ref = parseFunctionName(name as string);
    const out = this.world.invoker.invoke(ref, req.body, {
      invocationType: headerValue(req, "x-amz-invocation-type"),
      logType: headerValue(req, "x-amz-log-type"),
      qualifier: req.query.get("Qualifier") ?? undefined,
      requestId: this.requestId(),
    });
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (out.executedVersion) headers["x-amz-executed-version"] = out.executedVersion;
    if (out.functionError) headers["x-amz-function-error"] = out.functionError;
    if (out.logResult) headers["x-amz-log-result"] = out.logResult;
    const last = this.world.invoker.invocations.at(-1);
    return { response: { status: out.statusCode, headers, body: out.payload }, summary: last && out.statusCode !== 204 ? `${last.functionName}: ${last.outcome}` : undefined };
  }
}

function optString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function routingWeights(routing: unknown): Record<string, unknown> | undefined {
  if (routing === undefined || routing === null) return undefined;
  const w = (routing as { AdditionalVersionWeights?: unknown }).AdditionalVersionWeights;
  return typeof w === "object" && w !== null ? (w as Record<string, unknown>) : {};
}

function aliasSummary(a: AliasRecord): string {
  const w = Object.entries(a.weights);
  return `${a.name} -> ${a.functionVersion}${w.length ? ` + ${w.map(([v, x]) => `${v}@${x}`).join(",")}` : ""}`;
}
