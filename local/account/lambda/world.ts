import { AwsError } from "../shared/protocol/errors.js";
import { sha256Base64 } from "../shared/ids.js";
import { Invoker } from "./invoke.js";
import type { FunctionRef } from "./names.js";
import { type AliasTarget, checkAliasTarget } from "./routing.js";
import type { ScriptedResult } from "./script.js";
import type { AliasChange, AliasRecord, CodeState, CodeUpdate, FunctionDefinition, FunctionRecord, Snapshot, WorldEnv } from "./types.js";

export type { AliasChange, AliasRecord, CodeState, CodeUpdate, FunctionDefinition, FunctionRecord, Snapshot, WorldEnv };

const notFound = (message: string) => new AwsError("ResourceNotFoundException", message, { status: 404 });
const invalid = (message: string) => new AwsError("InvalidParameterValueException", message, { status: 400 });
const preconditionFailed = () =>
  new AwsError("PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id", { status: 412 });

/**
 * The Lambda control plane of the simulated account: functions, $LATEST and published versions,
 * aliases with weighted routing, and code updates (LastUpdateStatus InProgress -> Successful).
 * Invocation lives in lambda-invoke.ts; the REST-JSON wire format in lambda-api.ts.
 */
export class LambdaWorld {
  private readonly functions = new Map<string, FunctionRecord>();
  /** Aliases as the setup created them (not API changes). */
  readonly aliasBaseline: AliasChange[] = [];
  /** Every successful alias write through the API or the timeline, in order. */
  readonly aliasHistory: AliasChange[] = [];
  /** Invoke against the functions' scripted behaviour; every invocation is recorded there. */
  readonly invoker = new Invoker(this);

  constructor(readonly env: WorldEnv) {}

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.env.region}:${this.env.accountId}:function:${name}`;
  }

  functionNames(): string[] {
    return [...this.functions.keys()];
  }

  // ---- setup -------------------------------------------------------------------------------

  define(def: FunctionDefinition): FunctionRecord {
    if (this.functions.has(def.name)) throw new Error(`function ${def.name} is defined twice`);
    const kind = def.kind ?? "function";
    const nowMs = this.env.clock.now();
    const packageType = def.packageType ?? (def.imageUri ? "Image" : "Zip");
    const latest: Snapshot = {
      version: "$LATEST",
      code: this.codeFor(def.name, 1, def.imageUri),
      description: def.description ?? "",
      lastModifiedMs: nowMs,
      revisionId: this.env.ids.uuid(),
      // Lambda's default timeout is 3 s; hooks default to 900 s (the maximum) in the simulator.
      timeout: def.timeoutSeconds ?? (kind === "hook" ? 900 : 3),
      memorySize: def.memorySize ?? 128,
      role: def.role ?? `arn:aws:iam::${this.env.accountId}:role/${def.name}-role`,
      packageType,
      lastUpdateStatus: "Successful",
    };
    if (packageType === "Zip") {
      latest.runtime = def.runtime ?? "nodejs20.x";
      latest.handler = def.handler ?? "index.handler";
    }
    const fn: FunctionRecord = {
      name: def.name,
      kind,
      latest,
      dirty: true,
      versions: new Map(),
      nextVersion: 1,
      aliases: new Map(),
      script: { results: def.results ?? (kind === "hook" ? [{ status: "Succeeded" }] : []), cursor: 0, latencySeconds: def.latencySeconds ?? 0 },
      codeUpdateSeconds: def.codeUpdateSeconds ?? 1,
      routed: new Map(),
    };
    this.functions.set(def.name, fn);
    const n = def.versions ?? 0;
    for (let v = 1; v <= n; v++) {
      if (v > 1) this.setCode(fn, this.codeFor(def.name, v, def.imageUri ? `${def.imageUri}-v${v}` : undefined));
      this.publish(fn, "");
    }
    for (const [alias, target] of Object.entries(def.aliases ?? {})) {
      this.writeAlias(fn, alias, { functionVersion: target.functionVersion, weights: target.weights }, "setup", target.description ?? "");
    }
    return fn;
  }

  private codeFor(name: string, n: number, imageUri?: string): CodeState {
    return imageUri ? { sha256: sha256Base64(imageUri), size: 0, imageUri } : { sha256: sha256Base64(`${name}#${n}`), size: 1024 + n };
  }

  // ---- lookups -----------------------------------------------------------------------------

  /** The function named by a parsed FunctionName, or ResourceNotFoundException like Lambda. */
  get(ref: FunctionRef | string): FunctionRecord {
    const r = typeof ref === "string" ? { name: ref } : ref;
    const foreign = (r.region && r.region !== this.env.region) || (r.accountId && r.accountId !== this.env.accountId);
    const fn = foreign ? undefined : this.functions.get(r.name);
    if (!fn) throw notFound(`Function not found: ${this.functionArn(r.name)}`);
    this.refreshUpdate(fn);
    return fn;
  }

  /** $LATEST, a version, or the version an alias points to (its FunctionVersion). */
  resolve(fn: FunctionRecord, qualifier: string | undefined): Snapshot {
    if (qualifier === undefined || qualifier === "$LATEST") return fn.latest;
    const byVersion = /^[0-9]+$/.test(qualifier) ? fn.versions.get(qualifier) : undefined;
    if (byVersion) return byVersion;
    const alias = fn.aliases.get(qualifier);
    const target = alias ? this.snapshot(fn, alias.functionVersion) : undefined;
    if (!target) throw notFound(`Function not found: ${this.functionArn(fn.name)}:${qualifier}`);
    return target;
  }

  snapshot(fn: FunctionRecord, version: string): Snapshot | undefined {
    return version === "$LATEST" ? fn.latest : fn.versions.get(version);
  }

  alias(fn: FunctionRecord, name: string): AliasRecord {
    const a = fn.aliases.get(name);
    if (!a) throw notFound(`Cannot find alias arn: ${this.functionArn(fn.name)}:${name}`);
    return a;
  }

  /** The routing an alias had at simulated time `atSeconds` (setup state, then every write). */
  aliasAt(functionName: string, alias: string, atSeconds: number): AliasChange | undefined {
    let found: AliasChange | undefined;
    for (const h of [...this.aliasBaseline, ...this.aliasHistory]) {
      if (h.functionName === functionName && h.alias === alias && h.atSeconds <= atSeconds) found = h;
    }
    return found && found.operation !== "DeleteAlias" ? found : undefined;
  }

  // ---- code and versions ---------------------------------------------------------------------

  /** An update finishes after `codeUpdateSeconds` of simulated time, or once a reader has seen it InProgress. */
  private refreshUpdate(fn: FunctionRecord): void {
    const u = fn.update;
    if (!u) return;
    if (this.env.clock.now() >= u.startedMs + fn.codeUpdateSeconds * 1000 || u.readsLeft <= 0) {
      fn.latest.lastUpdateStatus = "Successful";
      fn.latest.revisionId = this.env.ids.uuid();
      fn.update = undefined;
    }
  }

  /** Called after a read rendered $LATEST: a poller that saw InProgress sees Successful next time. */
  noteRead(fn: FunctionRecord): void {
    if (fn.update) fn.update.readsLeft -= 1;
  }

  private setCode(fn: FunctionRecord, code: CodeState): void {
    fn.latest.code = code;
    fn.latest.lastModifiedMs = this.env.clock.now();
    fn.latest.revisionId = this.env.ids.uuid();
    fn.dirty = true;
  }

  private assertNoUpdate(fn: FunctionRecord): void {
    if (fn.update) {
      throw new AwsError("ResourceConflictException", `The operation cannot be performed at this time. An update is in progress for resource: ${this.functionArn(fn.name)}`, {
        status: 409,
      });
    }
  }

  private publish(fn: FunctionRecord, description: string): Snapshot {
    const last = fn.versions.get(String(fn.nextVersion - 1));
    // "Lambda doesn't publish a version if the function's configuration and code haven't changed since the last version."
    if (!fn.dirty && last) return last;
    const version = String(fn.nextVersion++);
    const snap: Snapshot = { ...fn.latest, code: { ...fn.latest.code }, version, description, revisionId: this.env.ids.uuid(), lastUpdateStatus: "Successful" };
    fn.versions.set(version, snap);
    fn.dirty = false;
    return snap;
  }

  publishVersion(fn: FunctionRecord, opts: { description?: string; codeSha256?: string; revisionId?: string }): Snapshot {
    this.assertNoUpdate(fn);
    if (opts.revisionId !== undefined && opts.revisionId !== fn.latest.revisionId) throw preconditionFailed();
    if (opts.codeSha256 !== undefined && opts.codeSha256 !== fn.latest.code.sha256) {
      throw invalid(`CodeSHA256 (${opts.codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.sha256}). Please try again.`);
    }
    return this.publish(fn, opts.description ?? "");
  }

  updateCode(fn: FunctionRecord, u: CodeUpdate): Snapshot {
    const sources = [u.zipFile !== undefined, u.s3 !== undefined, u.imageUri !== undefined].filter(Boolean).length;
    if (sources === 0) throw invalid("Please provide a source for function code.");
    if (sources > 1) throw invalid("Please provide only one source for function code: ZipFile, S3Bucket/S3Key, or ImageUri.");
    if (fn.latest.packageType === "Image" && u.imageUri === undefined) throw invalid("Please provide ImageUri when updating a function with packageType Image.");
    if (fn.latest.packageType === "Zip" && u.imageUri !== undefined) throw invalid("Please don't provide ImageUri when updating a function with packageType Zip.");
    if (u.zipFile !== undefined && !isZip(u.zipFile)) throw invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
    this.assertNoUpdate(fn);
    if (u.revisionId !== undefined && u.revisionId !== fn.latest.revisionId) throw preconditionFailed();
    const image = u.imageUri !== undefined ? this.env.images?.resolve(u.imageUri) : undefined;
    if (image && !image.foreign && !image.digest) throw invalid(`Source image ${u.imageUri} does not exist. Provide a valid source image.`);
    const code: CodeState = u.zipFile
      ? { sha256: sha256Base64(u.zipFile), size: u.zipFile.byteLength }
      : u.s3
        ? { sha256: sha256Base64(`s3://${u.s3.bucket}/${u.s3.key}${u.s3.objectVersion ? `?versionId=${u.s3.objectVersion}` : ""}`), size: 4096 }
        : // UNCONFIRMED (docs/releases.md): an image function's CodeSha256 is the image digest's hex.
          { sha256: image?.digest ? image.digest.replace(/^sha256:/, "") : sha256Base64(String(u.imageUri)), size: 0, imageUri: u.imageUri };
    if (u.dryRun) return { ...fn.latest, code };
    this.setCode(fn, code);
    if (u.publish) {
      // Publishing as part of the update: the new version is created from the new code.
      const snap = this.publish(fn, "");
      fn.latest.lastUpdateStatus = "InProgress";
      fn.update = { startedMs: this.env.clock.now(), readsLeft: 1 };
      return snap;
    }
    fn.latest.lastUpdateStatus = "InProgress";
    fn.update = { startedMs: this.env.clock.now(), readsLeft: 1 };
    return fn.latest;
  }

  /** Replaces a function's scripted results (restarting at the first) and/or its latency. */
  setScript(fn: FunctionRecord, change: { results?: ScriptedResult[]; latencySeconds?: number }): void {
    if (change.results) {
      fn.script.results = change.results;
      fn.script.cursor = 0;
    }
    if (change.latencySeconds !== undefined) fn.script.latencySeconds = change.latencySeconds;
  }

  // ---- aliases -------------------------------------------------------------------------------

  createAlias(fn: FunctionRecord, name: string, target: { functionVersion: string; weights: Record<string, unknown> }, description: string): AliasRecord {
    if (fn.aliases.has(name)) {
      throw new AwsError("ResourceConflictException", `Alias already exists: ${this.functionArn(fn.name)}:${name}`, { status: 409 });
    }
    return this.writeAlias(fn, name, target, "CreateAlias", description);
  }

  updateAlias(
    fn: FunctionRecord,
    name: string,
    input: { functionVersion?: string; weights?: Record<string, unknown>; description?: string; revisionId?: string },
    operation: "UpdateAlias" | "timeline" = "UpdateAlias",
    atSeconds?: number,
  ): AliasRecord {
    const current = this.alias(fn, name);
    if (input.revisionId !== undefined && input.revisionId !== current.revisionId) throw preconditionFailed();
    // Omitted RoutingConfig keeps the current routing; `{}` removes it (AWS CLI docs, update-alias).
    const target = { functionVersion: input.functionVersion ?? current.functionVersion, weights: input.weights ?? current.weights };
    return this.writeAlias(fn, name, target, operation, input.description ?? current.description, atSeconds);
  }

  deleteAlias(fn: FunctionRecord, name: string): void {
    const a = this.alias(fn, name);
    fn.aliases.delete(name);
    fn.routed.delete(name);
    this.aliasHistory.push(this.change(fn, a, "DeleteAlias", true, { functionVersion: "", weights: {} }));
  }

  private writeAlias(
    fn: FunctionRecord,
    name: string,
    target: { functionVersion: string; weights: Record<string, unknown> },
    operation: AliasChange["operation"],
    description: string,
    atSeconds?: number,
  ): AliasRecord {
    const checked = checkAliasTarget(this.functionArn(fn.name), target, (v) => this.snapshot(fn, v) !== undefined);
    const before = fn.aliases.get(name);
    const record: AliasRecord = { name, functionVersion: checked.functionVersion, weights: checked.weights, description, revisionId: this.env.ids.uuid() };
    fn.aliases.set(name, record);
    const changed = !before || before.functionVersion !== record.functionVersion || JSON.stringify(before.weights) !== JSON.stringify(record.weights);
    if (changed) fn.routed.delete(name);
    const entry = this.change(fn, record, operation, changed, checked, atSeconds);
    (operation === "setup" ? this.aliasBaseline : this.aliasHistory).push(entry);
    return record;
  }

  private change(fn: FunctionRecord, a: AliasRecord, operation: AliasChange["operation"], changed: boolean, t: AliasTarget, atSeconds?: number): AliasChange {
    return {
      seq: this.aliasBaseline.length + this.aliasHistory.length + 1,
      atSeconds: atSeconds ?? this.env.clock.elapsedSeconds(),
      functionName: fn.name,
      alias: a.name,
      functionVersion: t.functionVersion,
      additionalVersionWeights: { ...t.weights },
      operation,
      changed,
    };
  }

  /**
   * The version an invocation through `alias` executes. Deterministic weighted routing: of the
   * first n invocations, floor(n * weight) go to the additional version (Lambda itself routes
   * probabilistically; determinism keeps scenario reports reproducible).
   */
  routeAlias(fn: FunctionRecord, alias: AliasRecord): string {
    const entry = Object.entries(alias.weights)[0];
    if (!entry) return alias.functionVersion;
    const n = fn.routed.get(alias.name) ?? 0;
    fn.routed.set(alias.name, n + 1);
    const [version, w] = entry;
    return Math.floor((n + 1) * w + 1e-9) > Math.floor(n * w + 1e-9) ? version : alias.functionVersion;
  }
}

/** A zip starts with a local file header (PK\x03\x04) or, when empty, the end-of-directory record (PK\x05\x06). */
function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}
