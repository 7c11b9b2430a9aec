/**
 * Runs `osls package` on a private copy of the service, so a test never races a developer's (or
 * CI's) own `osls package` over .serverless/ and serverless-esbuild's .esbuild/ work folder.
 * The copy gets the repository's node_modules through a symlink; nothing is installed.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SKIP = new Set(["node_modules", ".git", ".serverless", ".esbuild", ".build", "coverage", "test", "bench"]);

export interface PackagedService {
  dir: string;
  template: CfnTemplate;
  cleanup(): void;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface CfnResource {
  Type: string;
  Properties?: { [key: string]: Json };
  DependsOn?: string | string[];
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, Json>;
}

export async function packageService(args: string[] = []): Promise<PackagedService> {
  const dir = mkdtempSync(path.join(tmpdir(), "stepdeploy-pkg-"));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      return rel === "" || !SKIP.has(rel.split(path.sep)[0] ?? "");
    },
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const osls = path.join(ROOT, "node_modules", ".bin", "osls");
  try {
    await promisify(execFile)(osls, ["package", "--param=targetFunctionPattern=orders-*", ...args], {
      cwd: dir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 170_000,
    });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`osls package ${args.join(" ")} failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
  const template = JSON.parse(readFileSync(path.join(dir, ".serverless", "cloudformation-template-update-stack.json"), "utf8")) as CfnTemplate;
  return { dir, template, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: Json;
}

/** Every statement of every inline policy of an AWS::IAM::Role, by role logical id. */
export function roleStatements(template: CfnTemplate, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== "AWS::IAM::Role") throw new Error(`${roleId} is not an AWS::IAM::Role`);
  const policies = (role.Properties?.Policies ?? []) as unknown as Array<{ PolicyDocument: { Statement: Statement[] } }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

export const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
