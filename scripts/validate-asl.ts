/**
 * Validates every statemachines/*.asl.json with asl-validator, and the ASL that `pipeline synth`
 * compiles from every pipeline definition in pipelines/ and events/pipelines/definitions/ (an invalid
 * definition is reported with its errors, as `pipeline validate` names them).
 *
 * The definitions reference this stack's resources with CloudFormation intrinsics
 * ({"Fn::GetAtt": ["PrepareLambdaFunction", "Arn"]}, {"Ref": "StepDeployEventBus"}), which
 * serverless-step-functions turns into an Fn::Sub at package time. asl-validator knows nothing of
 * CloudFormation, so they are first replaced by fake but well-formed values: GetAtt → an ARN of
 * the right service, Ref → a name.
 *
 *   tsx scripts/validate-asl.ts                 # all of statemachines/ and the pipelines' synthesized ASL
 *   tsx scripts/validate-asl.ts path/to/x.json  # just these files (*.asl.json: ASL; anything else: a pipeline definition)
 *
 * Exit code 0 when every file is valid, 1 otherwise.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import validator from "asl-validator";
import { readPipeline } from "../functions/domain/pipeline/index.js";
import { synthesize } from "../functions/domain/pipeline/synth/index.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FAKE_REGION = "us-east-1";
const FAKE_ACCOUNT = "123456789012";
const FAKE_STAGE = "dev";

export interface AslResult {
  file: string;
  ok: boolean;
  states: number;
  errors: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A fake ARN for `Fn::GetAtt [logicalId, attribute]`, shaped by the serverless naming convention. */
export function fakeGetAtt(logicalId: string, attribute: string): string {
  if (logicalId.endsWith("LambdaFunction")) {
    const fn = logicalId.slice(0, -"LambdaFunction".length);
    const name = `stepdeploy-${FAKE_STAGE}-${fn.charAt(0).toLowerCase()}${fn.slice(1)}`;
    return `arn:aws:lambda:${FAKE_REGION}:${FAKE_ACCOUNT}:function:${name}`;
  }
  if (/EventBus$/.test(logicalId)) return `arn:aws:events:${FAKE_REGION}:${FAKE_ACCOUNT}:event-bus/${fakeRef(logicalId)}`;
  if (/StateMachine$/.test(logicalId)) return `arn:aws:states:${FAKE_REGION}:${FAKE_ACCOUNT}:stateMachine:${fakeRef(logicalId)}`;
  if (/(Queue)$/.test(logicalId) && attribute === "Arn") return `arn:aws:sqs:${FAKE_REGION}:${FAKE_ACCOUNT}:${fakeRef(logicalId)}`;
  if (/(Topic)$/.test(logicalId)) return `arn:aws:sns:${FAKE_REGION}:${FAKE_ACCOUNT}:${fakeRef(logicalId)}`;
  if (/(Table)$/.test(logicalId)) return `arn:aws:dynamodb:${FAKE_REGION}:${FAKE_ACCOUNT}:table/${fakeRef(logicalId)}`;
  return `arn:aws:cloudformation:${FAKE_REGION}:${FAKE_ACCOUNT}:stack/stepdeploy-${FAKE_STAGE}/${logicalId}/${attribute}`;
}

/** A fake value for `Ref logicalId` (resource names for most types; pseudo parameters resolved). */
export function fakeRef(logicalId: string): string {
  const pseudo: Record<string, string> = {
    "AWS::Region": FAKE_REGION,
    "AWS::AccountId": FAKE_ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": `stepdeploy-${FAKE_STAGE}`,
    "AWS::StackId": `arn:aws:cloudformation:${FAKE_REGION}:${FAKE_ACCOUNT}:stack/stepdeploy-${FAKE_STAGE}/0`,
  };
  return pseudo[logicalId] ?? `stepdeploy-${FAKE_STAGE}-${logicalId}`;
}

function subString(template: string, vars: Record<string, Json>, where: string): string {
  return template.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
    if (name.startsWith("!")) return `\${${name.slice(1)}}`;
    if (name in vars) return String(resolveIntrinsics(vars[name] as Json, `${where}.${name}`));
    const dot = name.indexOf(".");
    if (dot > 0 && !name.startsWith("AWS::")) return fakeGetAtt(name.slice(0, dot), name.slice(dot + 1));
    return fakeRef(name);
  });
}

/**
 * Returns a copy of `node` with CloudFormation intrinsics replaced by fake values.
 * Supported: Ref, Fn::GetAtt (array or "Id.Attr"), Fn::Sub, Fn::Join, Fn::ImportValue.
 * Any other Fn:: object is reported (thrown) rather than silently passed to the validator.
 */
export function resolveIntrinsics(node: Json, where = "$"): Json {
  if (Array.isArray(node)) return node.map((v, i) => resolveIntrinsics(v, `${where}[${i}]`));
  if (node === null || typeof node !== "object") return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const key = keys[0] as string;
    const arg = node[key] as Json;
    if (key === "Ref" && typeof arg === "string") return fakeRef(arg);
    if (key === "Fn::GetAtt") {
      const [id, attr] = Array.isArray(arg) ? (arg as string[]) : typeof arg === "string" ? [arg.slice(0, arg.indexOf(".")), arg.slice(arg.indexOf(".") + 1)] : [];
      if (typeof id !== "string" || typeof attr !== "string" || !id || !attr) throw new Error(`${where}: malformed Fn::GetAtt ${JSON.stringify(arg)}`);
      return fakeGetAtt(id, attr);
    }
    if (key === "Fn::Sub") {
      if (typeof arg === "string") return subString(arg, {}, where);
      if (Array.isArray(arg) && typeof arg[0] === "string") return subString(arg[0], (arg[1] ?? {}) as Record<string, Json>, where);
      throw new Error(`${where}: malformed Fn::Sub`);
    }
    if (key === "Fn::Join" && Array.isArray(arg) && typeof arg[0] === "string" && Array.isArray(arg[1])) {
      return arg[1].map((v, i) => String(resolveIntrinsics(v, `${where}.Fn::Join[${i}]`))).join(arg[0]);
    }
    if (key === "Fn::ImportValue") return `imported-${String(resolveIntrinsics(arg, where))}`;
    if (key.startsWith("Fn::")) throw new Error(`${where}: unsupported CloudFormation intrinsic ${key} in a state machine definition`);
  }
  const out: { [key: string]: Json } = {};
  for (const k of keys) out[k] = resolveIntrinsics(node[k] as Json, `${where}.${k}`);
  return out;
}

function countStates(definition: Json): number {
  let n = 0;
  const walk = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        if (k === "States" && child && typeof child === "object" && !Array.isArray(child)) n += Object.keys(child).length;
        walk(child);
      }
    }
  };
  walk(definition);
  return n;
}

function relativeName(file: string): string {
  const relative = path.relative(ROOT, file);
  return relative && !relative.startsWith("..") ? relative : file;
}

/** Parses, resolves intrinsics and validates one definition file. Never throws. */
export function validateAslFile(file: string): AslResult {
  const rel = relativeName(file);
  let raw: Json;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Json;
  } catch (e) {
    return { file: rel, ok: false, states: 0, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  return validateAsl(rel, raw);
}

/**
 * A pipeline definition (any shape `pipeline validate` reads): compiled as `pipeline synth` compiles
 * it, then validated like a file of statemachines/. Never throws.
 */
export function validatePipelineFile(file: string): AslResult {
  const rel = `${relativeName(file)} (synthesized)`;
  try {
    const read = readPipeline(readFileSync(file, "utf8"));
    if (!read.valid || !read.pipeline) return { file: rel, ok: false, states: 0, errors: read.errors.map((e) => `INVALID_PIPELINE: ${e.path ? `${e.path}: ` : ""}${e.message}`) };
    return validateAsl(rel, synthesize(read.pipeline).definition as Json);
  } catch (e) {
    return { file: rel, ok: false, states: 0, errors: [`${(e as Error).name}: ${(e as Error).message}`] };
  }
}

function validateAsl(rel: string, raw: Json): AslResult {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { file: rel, ok: false, states: 0, errors: ["a state machine definition must be a JSON object"] };
  let resolved: Json;
  try {
    resolved = resolveIntrinsics(raw);
  } catch (e) {
    return { file: rel, ok: false, states: 0, errors: [(e as Error).message] };
  }
  // asl-validator annotates the object it is given (QueryLanguage); `resolved` is already a copy.
  const result = validator(resolved, { checkPaths: true, checkArn: true });
  const errors = result.errors.map((e) => `${e["Error code"] ?? "ERROR"}: ${e.Message ?? JSON.stringify(e)}`);
  return { file: rel, ok: result.isValid, states: countStates(raw), errors };
}

export function defaultAslFiles(root = ROOT): string[] {
  const dir = path.join(root, "statemachines");
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".asl.json"));
  } catch {
    // no statemachines directory: reported by the caller as "nothing to validate"
  }
  return names.sort().map((n) => path.join(dir, n));
}

/** The pipeline definitions whose synthesized ASL is validated: pipelines/ (what the stack deploys) and the scenarios' definitions. */
export function defaultPipelineFiles(root = ROOT): string[] {
  const out: string[] = [];
  for (const dir of ["pipelines", path.join("events", "pipelines", "definitions")]) {
    try {
      for (const n of readdirSync(path.join(root, dir)).sort()) if (/\.(json|ya?ml)$/.test(n)) out.push(path.join(root, dir, n));
    } catch {
      // no such folder: nothing of it to validate
    }
  }
  return out;
}

export function main(argv: string[]): number {
  const given = argv.map((f) => path.resolve(f));
  const asl = argv.length > 0 ? given.filter((f) => f.endsWith(".asl.json")) : defaultAslFiles();
  const pipelines = argv.length > 0 ? given.filter((f) => !f.endsWith(".asl.json")) : defaultPipelineFiles();
  const files = [...asl.map((file) => ({ file, check: validateAslFile })), ...pipelines.map((file) => ({ file, check: validatePipelineFile }))];
  if (argv.length === 0 && asl.length === 0) {
    console.error("validate-asl: no statemachines/*.asl.json found");
    return 1;
  }
  let failed = 0;
  for (const { file, check } of files) {
    const r = check(file);
    if (r.ok) {
      console.log(`✓ ${r.file} (${r.states} states)`);
    } else {
      failed++;
      console.log(`✗ ${r.file}`);
      for (const e of r.errors) console.log(`    ${e}`);
    }
  }
  console.log(`validate-asl: ${files.length - failed} valid, ${failed} invalid`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
