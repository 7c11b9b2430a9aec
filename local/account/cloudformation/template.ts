import { createHash } from "node:crypto";
import { parse } from "yaml";
import { CLOUDFORMATION_TAGS } from "../../../functions/domain/pipeline/intrinsics.js";
import { AwsError } from "../shared/protocol/errors.js";

/**
 * What the simulated CloudFormation reads of a template: its Parameters, Resources (type, the
 * properties that name IAM resources, a scripted failure) and Outputs. Templates are JSON or YAML
 * with the short-form tags (`!Ref`, `!Sub`, ...). Only what the stack operations depend on is
 * modelled: no resource is really created.
 *
 * A resource fails when its Metadata says so: `Metadata: {"stepdeploy:simulate": {"fail": "<reason>"}}`
 * (real CloudFormation ignores Metadata, so the same template deploys unchanged on AWS).
 */
export interface Template {
  /** The parsed template, for change detection. */
  body: Record<string, unknown>;
  parameters: Record<string, { default?: string; noEcho: boolean }>;
  resources: { logicalId: string; type: string; fail?: string; named: boolean }[];
  outputs: Record<string, unknown>;
  transform: boolean;
}

export const validationError = (message: string) => new AwsError("ValidationError", message, { status: 400 });

/** CreateStack's TemplateBody limit: 51,200 bytes (CloudFormation API reference, CreateStack; quotas: "Template body size in a request"). */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
/** A template read from TemplateURL: 1 MB (quotas: "Template body size in an Amazon S3 object"). */
export const TEMPLATE_URL_MAX_BYTES = 1_048_576;

/** IAM resource types that need CAPABILITY_IAM, and the property that gives each a custom name (CAPABILITY_NAMED_IAM). */
const IAM_TYPES: Record<string, string | undefined> = {
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
  "AWS::IAM::Policy": undefined,
  "AWS::IAM::AccessKey": undefined,
  "AWS::IAM::UserToGroupAddition": undefined,
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `from`: a TemplateBody over 51,200 bytes is the API's parameter validation, as the AWS CLI prints it
 * ("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have
 * length less than or equal to 51200", quoted in users' reports); a TemplateURL object over 1 MB is
 * refused with our wording.
 */
export function parseTemplate(text: string, from: "body" | "url" = "body"): Template {
  if (from === "body" && Buffer.byteLength(text) > TEMPLATE_BODY_MAX_BYTES) {
    throw validationError(`1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_MAX_BYTES}`);
  }
  if (from === "url" && Buffer.byteLength(text) > TEMPLATE_URL_MAX_BYTES) throw validationError(`Template may not exceed ${TEMPLATE_URL_MAX_BYTES} bytes in size.`); // our wording
  let body: unknown;
  try {
    body = text.trim().startsWith("{") ? JSON.parse(text) : parse(text, { customTags: CLOUDFORMATION_TAGS, prettyErrors: false });
  } catch (e) {
    throw validationError(`Template format error: ${text.trim().startsWith("{") ? "JSON" : "YAML"} not well-formed. (${(e as Error).message.split("\n")[0]})`);
  }
  if (!isObj(body)) throw validationError("Template format error: template must be a JSON or YAML object");
  const resources = body["Resources"];
  // "Template format error: At least one Resources member must be defined." (CloudFormation's answer for a template without resources)
  if (!isObj(resources) || Object.keys(resources).length === 0) throw validationError("Template format error: At least one Resources member must be defined.");
  const parameters: Template["parameters"] = {};
  for (const [name, p] of Object.entries(isObj(body["Parameters"]) ? body["Parameters"] : {})) {
    const def = isObj(p) ? p["Default"] : undefined;
    parameters[name] = { ...(def !== undefined && { default: Array.isArray(def) ? def.join(",") : String(def) }), noEcho: isObj(p) && String(p["NoEcho"]) === "true" };
  }
  return {
    body,
    parameters,
    resources: Object.entries(resources).map(([logicalId, r]) => {
      const o = isObj(r) ? r : {};
      const type = typeof o["Type"] === "string" ? o["Type"] : "";
      if (!type) throw validationError(`Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`);
      const meta = isObj(o["Metadata"]) ? o["Metadata"]["stepdeploy:simulate"] : undefined;
      const fail = isObj(meta) && typeof meta["fail"] === "string" ? meta["fail"] : undefined;
      const nameKey = IAM_TYPES[type];
      const named = nameKey !== undefined && isObj(o["Properties"]) && o["Properties"][nameKey] !== undefined;
      return { logicalId, type, named, ...(fail !== undefined && { fail }) };
    }),
    outputs: isObj(body["Outputs"]) ? body["Outputs"] : {},
    transform: body["Transform"] !== undefined,
  };
}

/**
 * The capabilities a template needs (CloudFormation API reference, CreateStack `Capabilities`): IAM
 * resources need CAPABILITY_IAM or CAPABILITY_NAMED_IAM, IAM resources with custom names
 * CAPABILITY_NAMED_IAM, a Transform (macros) CAPABILITY_AUTO_EXPAND. Missing ones are
 * InsufficientCapabilitiesException "Requires capabilities : [CAPABILITY_IAM]".
 */
export function checkCapabilities(t: Template, given: readonly string[]): void {
  const has = new Set(given);
  const iam = t.resources.filter((r) => r.type in IAM_TYPES);
  const missing: string[] = [];
  if (iam.some((r) => r.named) && !has.has("CAPABILITY_NAMED_IAM")) missing.push("CAPABILITY_NAMED_IAM");
  else if (iam.length && !has.has("CAPABILITY_IAM") && !has.has("CAPABILITY_NAMED_IAM")) missing.push("CAPABILITY_IAM");
  if (t.transform && !has.has("CAPABILITY_AUTO_EXPAND")) missing.push("CAPABILITY_AUTO_EXPAND");
  if (missing.length) throw new AwsError("InsufficientCapabilitiesException", `Requires capabilities : [${missing.join(", ")}]`, { status: 400 });
}

/**
 * The stack's parameter values: the given ones over the template's defaults. An undeclared name is
 * "Parameters: [X] do not exist in the template"; one without a value "Parameters: [X] must have values"
 * (CloudFormation's ValidationError texts).
 */
export function resolveParameters(t: Template, given: Record<string, string>, previous: Record<string, string> = {}, usePrevious: readonly string[] = []): Record<string, string> {
  const unknown = Object.keys(given).filter((k) => !(k in t.parameters));
  if (unknown.length) throw validationError(`Parameters: [${unknown.join(", ")}] do not exist in the template`);
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, p] of Object.entries(t.parameters)) {
    const v = given[name] ?? (usePrevious.includes(name) ? previous[name] : undefined) ?? p.default;
    if (v === undefined) missing.push(name);
    else out[name] = v;
  }
  if (missing.length) throw validationError(`Parameters: [${missing.join(", ")}] must have values`);
  return out;
}

/** A resource's physical id: `<stack>-<logicalId>-<12 upper-case characters>`, as CloudFormation generates names. */
export function physicalId(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}-${createHash("sha256").update(`${stackName}/${logicalId}`).digest("hex").slice(0, 12).toUpperCase()}`;
}

/**
 * The Outputs' values: Ref of a parameter, a pseudo parameter or a resource (its physical id),
 * Fn::GetAtt (`<physical id>.<attribute>`: no resource exists to read it from), Fn::Sub, Fn::Join,
 * Fn::Select; literals as strings.
 */
export function resolveOutputs(t: Template, ctx: { stackName: string; stackId: string; region: string; accountId: string; parameters: Record<string, string> }): { key: string; value: string; description?: string; exportName?: string }[] {
  const pseudo: Record<string, string> = { "AWS::StackName": ctx.stackName, "AWS::StackId": ctx.stackId, "AWS::Region": ctx.region, "AWS::AccountId": ctx.accountId, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com" };
  const ref = (name: string): string => ctx.parameters[name] ?? pseudo[name] ?? (t.resources.some((r) => r.logicalId === name) ? physicalId(ctx.stackName, name) : name);
  const value = (v: unknown): string => {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return v.map(value).join(",");
    if (!isObj(v)) return "";
    if ("Ref" in v) return ref(String(v["Ref"]));
    if ("Fn::GetAtt" in v) {
      const a = v["Fn::GetAtt"];
      const [res, att] = Array.isArray(a) ? a.map(String) : String(a).split(".");
      return `${physicalId(ctx.stackName, res ?? "")}.${att}`;
    }
    if ("Fn::Sub" in v) {
      const s = v["Fn::Sub"];
      const [text, vars] = Array.isArray(s) ? [String(s[0]), isObj(s[1]) ? s[1] : {}] : [String(s), {}];
      return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => (name in vars ? value(vars[name]) : name.includes(".") ? `${physicalId(ctx.stackName, name.split(".")[0] ?? "")}.${name.split(".")[1]}` : ref(name)));
    }
    if ("Fn::Join" in v) {
      const [sep, parts] = v["Fn::Join"] as [string, unknown[]];
      return (Array.isArray(parts) ? parts : []).map(value).join(sep);
    }
    if ("Fn::Select" in v) {
      const [i, list] = v["Fn::Select"] as [number, unknown];
      return value(Array.isArray(list) ? list[Number(i)] : value(list).split(",")[Number(i)]);
    }
    return JSON.stringify(v);
  };
  return Object.entries(t.outputs).map(([key, o]) => {
    const out = isObj(o) ? o : {};
    const exp = isObj(out["Export"]) ? out["Export"]["Name"] : undefined;
    return { key, value: value(out["Value"]), ...(typeof out["Description"] === "string" && { description: out["Description"] }), ...(exp !== undefined && { exportName: value(exp) }) };
  });
}
