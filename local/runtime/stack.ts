import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";

/**
 * What the local runtime needs to know about the deployed stack, read from serverless.yml itself
 * (so the functions the ASL refers to are exactly the ones we deploy): logical id -> handler module,
 * and Ref'd resources -> physical names.
 */
export interface LocalFunction {
  name: string;
  logicalId: string;
  arn: string;
  modulePath: string;
  exportName: string;
  memoryMb: number;
}

/** An EventBridge rule declared on a function (`events: - eventBridge: {pattern}`), with intrinsics resolved. */
export interface LocalRule {
  functionLogicalId: string;
  eventBus: string;
  pattern: Record<string, unknown>;
}

export interface LocalStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  /** File stem under statemachines/ (e.g. `deploy-lambda`). */
  machine: string;
}

export interface LocalStack {
  rules: LocalRule[];
  stateMachines: LocalStateMachine[];
  service: string;
  stage: string;
  region: string;
  accountId: string;
  functions: Map<string, LocalFunction>;
  /** Logical id -> value of `Ref` (physical name). */
  refs: Map<string, string>;
  /** provider.environment with Refs resolved: what every deployed function sees. */
  environment: Record<string, string>;
  functionByArn(arn: string): LocalFunction | undefined;
}

// Serverless Framework's logical ids: `<Name>LambdaFunction` with `-` as Dash and `_` as Underscore.
export function lambdaLogicalId(name: string): string {
  const n = name.replace(/-/g, "Dash").replace(/_/g, "Underscore");
  return `${n.charAt(0).toUpperCase()}${n.slice(1)}LambdaFunction`;
}

/**
 * Handlers run in the form this module runs in: the TypeScript sources (tests, tsx), or the CLI's
 * JavaScript build, which puts each handler at dist/<path>.js (scripts/build-cli.mjs).
 */
const HANDLER_FORM = import.meta.url.endsWith(".ts") ? { dir: "", ext: ".ts" } : { dir: "dist", ext: ".js" };

/**
 * `${file(./x.cjs):key}`: serverless calls the module's exported function and takes `key` of the
 * result. Our .cjs variable files also export `forStage(stage)`, the same thing without the framework.
 */
const FILE_VARIABLE = /^\$\{file\((\.\/[^)]+\.cjs)\):([A-Za-z0-9_]+)\}$/;

function fileVariable(root: string, stage: string, value: string, read: Map<string, Record<string, unknown>>): unknown {
  const m = FILE_VARIABLE.exec(value);
  if (!m) return undefined;
  const file = m[1] as string;
  // One call per file and read: serverless.yml names the same file some 40 times, and each call reads
  // and parses the file's YAML again (about 0.2 s of a cold process's first simulated deployment).
  let values = read.get(file);
  if (!values) {
    const mod = createRequire(join(root, "package.json"))(join(root, file)) as { forStage?: (stage: string) => Record<string, unknown> };
    if (typeof mod.forStage !== "function") throw new Error(`${file} does not export forStage(stage)`);
    values = mod.forStage(stage);
    read.set(file, values);
  }
  return values[m[2] as string];
}

function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => vars[key.trim()] ?? whole);
}

/** The stack read once per process and stage: parsing serverless.yml costs more than a simulated deployment. */
const stacks = new Map<string, LocalStack>();

export function loadStack(root: string, opts: { stage?: string; region?: string; accountId?: string } = {}): LocalStack {
  const key = JSON.stringify([root, opts.stage ?? "local", opts.region ?? process.env.AWS_REGION ?? "us-east-1", opts.accountId ?? "123456789012"]);
  let stack = stacks.get(key);
  if (!stack) {
    stack = readStack(root, opts);
    stacks.set(key, stack);
  }
  return stack;
}

/**
 * serverless.yml as data. Parsing its YAML (140 KB) costs 0.3-0.7 s of CPU in a fresh process, more than the
 * rest of a first simulated deployment, and every process that simulates (each `simulate`, each test worker)
 * pays it; JSON.parse of the same data costs about a millisecond. So the parse is kept on disk as JSON, in the
 * user's cache directory ($XDG_CACHE_HOME or ~/.cache, stepdeploy/: not a directory other users can write,
 * since the stack names the handler modules this process loads), under the SHA-256 of the file's text and
 * the parser's version: a changed file is a new key, and a document that JSON cannot carry exactly (a date,
 * an infinity) is never cached. A process that finds no usable entry parses the YAML, as before; writing the
 * entry is best effort.
 */
const YAML_VERSION = (createRequire(import.meta.url)("yaml/package.json") as { version: string }).version;
const cacheDir = () => join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "stepdeploy");

export function readServerlessYml(root: string): Record<string, unknown> {
  const text = readFileSync(join(root, "serverless.yml"), "utf8");
  const dir = cacheDir();
  const file = join(dir, `serverless-${createHash("sha256").update(`yaml ${YAML_VERSION}\n${text}`).digest("hex")}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    // No entry yet (or an unreadable one): parse.
  }
  const doc = parse(text, { logLevel: "silent" }) as Record<string, unknown>;
  try {
    const json = JSON.stringify(doc);
    if (isDeepStrictEqual(JSON.parse(json), doc)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, json);
      renameSync(partial, file);
    }
  } catch {
    // A read-only or full temporary directory: the next process parses again.
  }
  return doc;
}

function readStack(root: string, opts: { stage?: string; region?: string; accountId?: string }): LocalStack {
  const doc = readServerlessYml(root);
  const service = String(doc.service ?? "stepdeploy");
  const stage = opts.stage ?? "local";
  const region = opts.region ?? process.env.AWS_REGION ?? "us-east-1";
  const accountId = opts.accountId ?? "123456789012";
  const vars: Record<string, string> = { "sls:stage": stage, "self:service": service, "aws:region": region, "aws:accountId": accountId, "self:provider.stage": stage };
  // `${param:x}`: the stage's params over params.default, as the framework resolves them without --param.
  const params = (doc.params ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const [k, v] of Object.entries({ ...params.default, ...params[stage] })) if (typeof v === "string") vars[`param:${k}`] = v;
  const provider = (doc.provider ?? {}) as Record<string, unknown>;
  const defaultMemory = Number(provider.memorySize ?? 1024);
  const functions = new Map<string, LocalFunction>();
  for (const [name, f] of Object.entries((doc.functions ?? {}) as Record<string, Record<string, unknown>>)) {
    const handler = String(f.handler);
    const dot = handler.lastIndexOf(".");
    const fnName = `${service}-${stage}-${name}`;
    const fn: LocalFunction = {
      name: fnName,
      logicalId: lambdaLogicalId(name),
      arn: `arn:aws:lambda:${region}:${accountId}:function:${fnName}`,
      modulePath: join(root, HANDLER_FORM.dir, `${handler.slice(0, dot)}${HANDLER_FORM.ext}`),
      exportName: handler.slice(dot + 1),
      memoryMb: Number(f.memorySize ?? defaultMemory),
    };
    functions.set(fn.logicalId, fn);
  }
  const refs = new Map<string, string>();
  const resources = ((doc.resources as Record<string, unknown> | undefined)?.Resources ?? {}) as Record<string, { Properties?: Record<string, unknown> }>;
  for (const [logicalId, r] of Object.entries(resources)) {
    const props = r.Properties ?? {};
    const name = props.Name ?? props.TableName ?? props.BucketName ?? props.TopicName;
    refs.set(logicalId, typeof name === "string" ? substitute(name, vars) : logicalId);
  }
  const stateMachines: LocalStateMachine[] = [];
  const sfnDecl = ((doc.stepFunctions as Record<string, unknown> | undefined)?.stateMachines ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, sm] of Object.entries(sfnDecl)) {
    const name = substitute(String(sm.name ?? `${service}-${stage}-${key}`), vars);
    const file = String(sm.definition ?? "").match(/statemachines\/([^)]+)\.asl\.json/)?.[1] ?? key;
    const logicalId = String(sm.id ?? `${key.charAt(0).toUpperCase()}${key.slice(1)}StateMachine`);
    const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
    stateMachines.push({ logicalId, name, arn, machine: file });
    refs.set(logicalId, arn);
  }
  const pseudo: Record<string, string> = { "AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": accountId };
  const fileValues = new Map<string, Record<string, unknown>>();
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === "string") return refs.get(o.Ref) ?? o.Ref;
      if (typeof o["Fn::Sub"] === "string") return substitute(substitute(o["Fn::Sub"], vars), pseudo);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
    }
    if (typeof v === "string" && FILE_VARIABLE.test(v)) return resolve(fileVariable(root, stage, v, fileValues));
    return typeof v === "string" ? substitute(v, vars) : v;
  };
  const rules: LocalRule[] = [];
  for (const [name, f] of Object.entries((doc.functions ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const ev of (f.events ?? []) as Record<string, Record<string, unknown>>[]) {
      const eb = ev.eventBridge;
      if (!eb?.pattern) continue;
      rules.push({ functionLogicalId: lambdaLogicalId(name), eventBus: String(resolve(eb.eventBus) ?? "default"), pattern: resolve(eb.pattern) as Record<string, unknown> });
    }
  }
  // Every function runs in this one process, so the functions' own variables join the provider's.
  const environment: Record<string, string> = {};
  const functionEnvs = Object.values((doc.functions ?? {}) as Record<string, Record<string, unknown>>).map((f) => (f.environment ?? {}) as Record<string, unknown>);
  for (const env of [(provider.environment ?? {}) as Record<string, unknown>, ...functionEnvs]) {
    for (const [k, v] of Object.entries(env)) {
      const value = resolve(v);
      if (typeof value === "string") environment[k] = value;
    }
  }
  return {
    rules,
    stateMachines,
    environment,
    service,
    stage,
    region,
    accountId,
    functions,
    refs,
    functionByArn(arn: string) {
      // A qualified ARN has an eighth part (`:alias` or `:version`).
      const bare = arn.split(":").length > 7 ? arn.split(":").slice(0, 7).join(":") : arn;
      for (const f of functions.values()) if (f.arn === bare || f.name === bare) return f;
      return undefined;
    },
  };
}
