import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { currentFunction } from "../../local/runtime/principal.js";
import { onEachSdkClient } from "../../local/runtime/sdk-hooks.js";

/**
 * IAM coverage of the functions the local engine runs: every SDK call a handler makes is recorded as
 * the IAM action AWS would authorize, under the function that made it (local/runtime/principal.ts),
 * and compared with the Allow statements of that function's role in serverless.yml (its inline
 * policies and the managed policies attached to it). Actions only: which resources a statement names
 * is checked by the template tests (test/unit/pipeline/template.test.ts, scripts/check-cfn.ts).
 */

/** SDK serviceId -> IAM service prefix (Service Authorization Reference). */
const PREFIX: Record<string, string> = {
  S3: "s3",
  DynamoDB: "dynamodb",
  ECS: "ecs",
  ECR: "ecr",
  CloudFormation: "cloudformation",
  "Elastic Beanstalk": "elasticbeanstalk",
  EventBridge: "events",
  SFN: "states",
  SNS: "sns",
  Lambda: "lambda",
  SSM: "ssm",
  CodeBuild: "codebuild",
  CloudWatch: "cloudwatch",
};

/**
 * The IAM actions one SDK command needs (the operation's name, but Lambda's Invoke is lambda:InvokeFunction). S3 object reads of a given version need s3:GetObjectVersion
 * (S3 user guide, "Amazon S3 actions"); HeadObject is authorized as s3:GetObject (S3 API reference,
 * HeadObject: "you must have the s3:GetObject permission"); CopyObject reads the source and writes the target.
 */
export function iamActions(serviceId: string, command: string, input: Record<string, unknown>): string[] {
  const prefix = PREFIX[serviceId] ?? `unknown(${serviceId})`;
  const op = command.replace(/Command$/, "");
  if (prefix === "s3" && (op === "GetObject" || op === "HeadObject")) return [input.VersionId ? "s3:GetObjectVersion" : "s3:GetObject"];
  if (prefix === "s3" && op === "CopyObject") return [/[?&]versionId=/.test(String(input.CopySource ?? "")) ? "s3:GetObjectVersion" : "s3:GetObject", "s3:PutObject"];
  if (prefix === "s3" && op === "ListObjectsV2") return ["s3:ListBucket"];
  if (prefix === "lambda" && op === "Invoke") return ["lambda:InvokeFunction"];
  return [`${prefix}:${op}`];
}

/** function name -> the IAM actions its handler called. */
export type CallsByFunction = Map<string, Set<string>>;

/** Starts recording every SDK call made inside one of our handlers (call before any client's first request). */
export function recordHandlerCalls(): CallsByFunction {
  const calls: CallsByFunction = new Map();
  onEachSdkClient((client) => {
    const serviceId = client.config.serviceId ?? "AWS";
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: Record<string, unknown> }) => {
        const fn = currentFunction();
        if (fn) {
          const set = calls.get(fn) ?? new Set<string>();
          for (const a of iamActions(serviceId, context.commandName ?? "Unknown", args.input ?? {})) set.add(a);
          calls.set(fn, set);
        }
        return next(args);
      },
      { step: "initialize", name: "stepdeployIamCoverage", override: true },
    );
  });
  return calls;
}

type Statement = { Effect: string; Action: string | string[] };
type Resource = { Type?: string; Properties?: { Policies?: { PolicyDocument: { Statement: Statement[] } }[]; PolicyDocument?: { Statement: Statement[] }; Roles?: unknown[] } };

/** The actions serverless.yml's role of function `key` allows: inline policies and the managed policies attached to the role. */
export function grantedActions(root: string, key: string): Set<string> {
  const doc = parse(readFileSync(path.join(root, "serverless.yml"), "utf8")) as { functions: Record<string, { role?: string }>; resources: { Resources: Record<string, Resource> } };
  const roleId = doc.functions[key]?.role;
  const resources = doc.resources.Resources;
  const role = roleId ? resources[roleId] : undefined;
  if (!roleId || !role) throw new Error(`${key}: no role in serverless.yml`);
  const statements = [
    ...(role.Properties?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement),
    ...Object.values(resources)
      .filter((r) => r.Type === "AWS::IAM::ManagedPolicy" && (r.Properties?.Roles ?? []).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: roleId })))
      .flatMap((r) => r.Properties?.PolicyDocument?.Statement ?? []),
  ];
  return new Set(statements.filter((s) => s.Effect === "Allow").flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}
