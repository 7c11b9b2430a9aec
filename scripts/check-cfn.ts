/**
 * Static checks of the CloudFormation template that `osls package` writes, against the AWS
 * resource specification shipped in @aws-cdk/aws-service-spec (no network, no credentials):
 *
 *  - every resource type exists; custom resources (Custom::*, AWS::CloudFormation::CustomResource)
 *    are only checked for references;
 *  - no unknown resource-level keys, no unknown top-level properties, required properties present;
 *  - every Ref / Fn::GetAtt / Fn::Sub ${...} target exists (resource, parameter or pseudo
 *    parameter), and a GetAtt attribute is one the resource type has;
 *  - DependsOn and Condition targets exist;
 *  - IAM: no Allow statement has a `*` anywhere in Action (or uses NotAction); a Resource of "*"
 *    is an error unless every action in the statement is one that cannot be scoped
 *    (RESOURCE_STAR_ALLOWED, each with its reason).
 *
 *   tsx scripts/check-cfn.ts [template.json]   # default .serverless/cloudformation-template-update-stack.json
 *
 * Exit code 0 without errors, 1 with errors or when the template cannot be read.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_TEMPLATE = path.join(ROOT, ".serverless", "cloudformation-template-update-stack.json");

/** Actions that may keep `Resource: "*"`, and why. */
export const RESOURCE_STAR_ALLOWED: Record<string, string> = {
  "ecs:RegisterTaskDefinition":
    "no resource-level permissions: RegisterTaskDefinition has no resource type in the Service Authorization Reference for Amazon ECS (the revision's ARN does not exist before it is registered)",
  "iam:PassRole":
    "only with the condition iam:PassedToService ecs-tasks.amazonaws.com (as AWS's managed AmazonEC2ContainerServiceEventsRole grants it): a revision registered again keeps the running one's task and execution roles, which stepdeploy cannot name in advance",
  "cloudwatch:DescribeAlarms":
    "composite alarms are only returned when DescribeAlarms is granted on * (CloudWatch API reference, DescribeAlarms)",
  "cloudwatch:GetMetricData":
    "no resource-level permissions: GetMetricData has no resource type in the Service Authorization Reference for Amazon CloudWatch",
  "ssm:DescribeInstanceInformation":
    "no resource-level permissions: the action has no resource type in the Service Authorization Reference for AWS Systems Manager; it only lists managed nodes",
  "ssm:ListCommandInvocations":
    "no resource-level permissions: the action has no resource type in the Service Authorization Reference for AWS Systems Manager; SendCommand is the scoped call",
  "ssm:GetCommandInvocation":
    "no resource-level permissions: the action has no resource type in the Service Authorization Reference for AWS Systems Manager; SendCommand is the scoped call",
  "ssm:CancelCommand":
    "no resource-level permissions: CancelCommand has no resource type in the Service Authorization Reference for AWS Systems Manager; it only reaches commands SendCommand (scoped) sent",
  "states:SendTaskSuccess":
    "no resource-level permissions: the action has no resource type in the Service Authorization Reference for AWS Step Functions; the task token names the task",
  "states:SendTaskFailure":
    "no resource-level permissions: the action has no resource type in the Service Authorization Reference for AWS Step Functions; the task token names the task",
  // ECS blue/green and EC2 traffic: ELBv2's Describe* actions and ECS DescribeTaskDefinition have no resource type in the Service
  // Authorization Reference (Elastic Load Balancing V2; Amazon ECS), so they are granted on "*".
  ...Object.fromEntries(
    ["DescribeListeners", "DescribeRules", "DescribeTargetGroups", "DescribeTargetGroupAttributes", "DescribeTargetHealth"].map((a) => [
      `elasticloadbalancing:${a}`,
      "no resource-level permissions: ELBv2 Describe* actions have no resource type in the Service Authorization Reference for Elastic Load Balancing V2",
    ]),
  ),
  // EC2 behind Classic Load Balancers: the 2012-06-01 API's Describe* actions have no resource type in the Service
  // Authorization Reference (Amazon Elastic Load Balancing); Register/Deregister are scoped to loadbalancer/<name>.
  ...Object.fromEntries(
    ["DescribeLoadBalancers", "DescribeLoadBalancerAttributes", "DescribeInstanceHealth"].map((a) => [
      `elasticloadbalancing:${a}`,
      "no resource-level permissions: Classic Load Balancer Describe* actions have no resource type in the Service Authorization Reference for Amazon Elastic Load Balancing",
    ]),
  ),
  "autoscaling:DescribeAutoScalingGroups":
    "no resource-level permissions: DescribeAutoScalingGroups has no resource type in the Service Authorization Reference for Amazon EC2 Auto Scaling (an EC2 blue/green deployment reads the group it copies)",
  "ec2:DescribeInstances":
    "no resource-level permissions: DescribeInstances has no resource type in the Service Authorization Reference for Amazon EC2 (an EC2/on-premises deployment reads its instances' states)",
  "ecs:DescribeTaskDefinition": "no resource-level permissions: DescribeTaskDefinition has no resource type in the Service Authorization Reference for Amazon ECS",
  // Step Functions execution logging (opt-in): the Step Functions developer guide, "IAM policies for logging to
  // CloudWatch Logs", grants these CloudWatch Logs vended-log delivery actions on "*".
  ...Object.fromEntries(
    ["CreateLogDelivery", "GetLogDelivery", "UpdateLogDelivery", "DeleteLogDelivery", "ListLogDeliveries", "PutResourcePolicy", "DescribeResourcePolicies", "DescribeLogGroups"].map((a) => [
      `logs:${a}`,
      "Step Functions execution logging: vended-log delivery actions, granted on * as the Step Functions developer guide prescribes (IAM policies for logging to CloudWatch Logs)",
    ]),
  ),
};

const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);
const RESOURCE_KEYS = new Set(["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy"]);

export interface Finding {
  level: "error" | "note";
  where: string;
  message: string;
}

/** The part of a resource spec these checks need (satisfied by @aws-cdk/service-spec-types' Resource). */
export interface ResourceSpec {
  properties: Record<string, { required?: boolean }>;
  attributes: Record<string, unknown>;
}
export type SpecLookup = (cloudFormationType: string) => ResourceSpec | undefined;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface Template {
  Parameters?: JsonObject;
  Conditions?: JsonObject;
  Resources?: Record<string, JsonObject>;
  Outputs?: JsonObject;
}

const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);
const asArray = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isCustom = (type: string): boolean => type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource";

export async function loadSpecLookup(): Promise<SpecLookup> {
  const db = await loadAwsServiceSpec();
  return (type) => db.lookup("resource", "cloudFormationType", "equals", type)[0] as ResourceSpec | undefined;
}

export function checkTemplate(template: Template, spec: SpecLookup): Finding[] {
  const findings: Finding[] = [];
  const error = (where: string, message: string) => findings.push({ level: "error", where, message });
  const note = (where: string, message: string) => findings.push({ level: "note", where, message });
  const resources = template.Resources ?? {};
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));

  if (Object.keys(resources).length === 0) error("Resources", "the template has no resources");

  const checkGetAtt = (where: string, id: string, attribute: string) => {
    const target = resources[id];
    if (!target) {
      error(where, `Fn::GetAtt target '${id}' is not a resource in this template`);
      return;
    }
    const type = String(target.Type ?? "");
    if (isCustom(type)) return;
    const s = spec(type);
    if (s && !(attribute in s.attributes)) {
      error(where, `Fn::GetAtt ${id}.${attribute}: ${type} has no attribute '${attribute}' (has: ${Object.keys(s.attributes).join(", ") || "none"})`);
    }
  };
  const checkRef = (where: string, id: string) => {
    if (!(id in resources) && !parameters.has(id) && !PSEUDO_PARAMETERS.has(id)) error(where, `Ref target '${id}' is not a resource, parameter or pseudo parameter`);
  };
  const checkSub = (where: string, text: string, vars: JsonObject) => {
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      const name = (m[1] ?? "").trim();
      if (name.startsWith("!")) continue;
      if (name in vars) continue;
      const dot = name.indexOf(".");
      if (dot > 0 && !PSEUDO_PARAMETERS.has(name)) checkGetAtt(where, name.slice(0, dot), name.slice(dot + 1));
      else checkRef(where, name);
    }
  };
  // Walks any value and checks the intrinsic functions found in it.
  const walk = (node: Json | undefined, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        walk(v, `${where}[${i}]`);
      });
      return;
    }
    if (!isObject(node)) return;
    for (const [key, arg] of Object.entries(node)) {
      const at = `${where}.${key}`;
      if (key === "Ref" && typeof arg === "string") checkRef(at, arg);
      else if (key === "Fn::GetAtt") {
        if (Array.isArray(arg) && typeof arg[0] === "string" && typeof arg[1] === "string") checkGetAtt(at, arg[0], arg[1]);
        else if (typeof arg === "string" && arg.includes(".")) checkGetAtt(at, arg.slice(0, arg.indexOf(".")), arg.slice(arg.indexOf(".") + 1));
        else error(at, `malformed Fn::GetAtt ${JSON.stringify(arg)}`);
      } else if (key === "Fn::Sub") {
        if (typeof arg === "string") checkSub(at, arg, {});
        else if (Array.isArray(arg) && typeof arg[0] === "string") {
          const vars = isObject(arg[1]) ? arg[1] : {};
          checkSub(at, arg[0], vars);
          walk(vars, `${at}[1]`);
        } else error(at, "malformed Fn::Sub");
      } else if (key === "Fn::If" && Array.isArray(arg) && typeof arg[0] === "string") {
        if (!conditions.has(arg[0])) error(at, `Fn::If condition '${arg[0]}' is not in Conditions`);
        walk(arg.slice(1), at);
      } else walk(arg, at);
    }
  };

  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}`;
    const type = typeof resource.Type === "string" ? resource.Type : "";
    if (!type) {
      error(where, "has no Type");
      continue;
    }
    for (const key of Object.keys(resource)) if (!RESOURCE_KEYS.has(key)) error(where, `unknown resource attribute '${key}'`);
    for (const dep of asArray(resource.DependsOn)) {
      if (typeof dep !== "string" || !(dep in resources)) error(`${where}.DependsOn`, `DependsOn target '${String(dep)}' is not a resource in this template`);
    }
    if (typeof resource.Condition === "string" && !conditions.has(resource.Condition)) error(`${where}.Condition`, `condition '${resource.Condition}' is not in Conditions`);
    const props = isObject(resource.Properties) ? resource.Properties : {};
    if (!isCustom(type)) {
      const s = spec(type);
      if (!s) error(where, `unknown resource type ${type}`);
      else {
        for (const p of Object.keys(props)) if (!(p in s.properties)) error(`${where}.Properties`, `${type} has no property '${p}'`);
        for (const [p, def] of Object.entries(s.properties)) if (def.required && !(p in props)) error(`${where}.Properties`, `${type} requires '${p}'`);
      }
    }
    walk(resource.Properties, `${where}.Properties`);
    walk(resource.Metadata, `${where}.Metadata`);
    if (type.startsWith("AWS::IAM::")) checkIamResource(id, type, props, error, note);
  }
  walk(template.Outputs, "Outputs");
  walk(template.Conditions, "Conditions");
  return findings;
}

function policyDocuments(type: string, props: JsonObject): Array<[string, Json | undefined]> {
  if (type === "AWS::IAM::Role" || type === "AWS::IAM::User" || type === "AWS::IAM::Group") {
    return asArray(props.Policies).map((p, i) => [`Policies[${i}]${isObject(p) && typeof p.PolicyName === "string" ? ` (${p.PolicyName})` : ""}`, isObject(p) ? p.PolicyDocument : undefined]);
  }
  if ("PolicyDocument" in props) return [["PolicyDocument", props.PolicyDocument]];
  return [];
}

function checkIamResource(id: string, type: string, props: JsonObject, error: (w: string, m: string) => void, note: (w: string, m: string) => void): void {
  for (const [label, doc] of policyDocuments(type, props)) {
    const statements = isObject(doc) ? asArray(doc.Statement) : [];
    statements.forEach((st, i) => {
      if (!isObject(st)) return;
      const where = `Resources.${id} ${label} Statement[${i}]${typeof st.Sid === "string" ? ` (${st.Sid})` : ""}`;
      if (st.Effect !== "Allow") return; // a Deny with wildcards only narrows access
      if ("NotAction" in st) error(where, "Allow with NotAction grants every other action");
      const actions = asArray(st.Action).map((a) => (typeof a === "string" ? a : JSON.stringify(a)));
      for (const a of actions) if (a.includes("*")) error(where, `wildcard action '${a}'`);
      const resourcesList = asArray(st.Resource);
      if (resourcesList.some((r) => r === "*")) {
        const unscopable = actions.filter((a) => a in RESOURCE_STAR_ALLOWED);
        if (actions.length > 0 && unscopable.length === actions.length) {
          note(where, `Resource "*" for ${unscopable.join(", ")}: ${unscopable.map((a) => RESOURCE_STAR_ALLOWED[a]).join("; ")}`);
        } else {
          error(where, `Resource "*" for ${actions.filter((a) => !(a in RESOURCE_STAR_ALLOWED)).join(", ")} (scope it, or add the action to RESOURCE_STAR_ALLOWED with a reason)`);
        }
      }
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  const file = path.resolve(argv[0] ?? DEFAULT_TEMPLATE);
  if (!existsSync(file)) {
    console.error(`check-cfn: ${path.relative(process.cwd(), file)} not found; run \`npm run package\` (osls package) first`);
    return 1;
  }
  let template: Template;
  try {
    template = JSON.parse(readFileSync(file, "utf8")) as Template;
  } catch (e) {
    console.error(`check-cfn: cannot parse ${file}: ${(e as Error).message}`);
    return 1;
  }
  const findings = checkTemplate(template, await loadSpecLookup());
  const errors = findings.filter((f) => f.level === "error");
  for (const f of findings) console.log(`${f.level === "error" ? "✗ error" : "· note "} ${f.where}: ${f.message}`);
  const types = new Set(Object.values(template.Resources ?? {}).map((r) => String(r.Type)));
  console.log(`check-cfn: ${path.relative(process.cwd(), file)}: ${Object.keys(template.Resources ?? {}).length} resources (${types.size} types), ${errors.length} error(s), ${findings.length - errors.length} note(s)`);
  return errors.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
