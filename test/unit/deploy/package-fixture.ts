/**
 * The packaged service the template tests read: this run's one `osls package`
 * (scripts/package-service.ts). Under the CI orchestrator that is the output its `package` stage
 * already wrote (the folder is in PACKAGED_DIR_ENV); run alone, a private copy of the service
 * (scripts/service-copy.ts) is packaged once per test file.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { OSLS_ENV, PACKAGE_ARGS, PACKAGED_DIR_ENV } from "../../../scripts/package-service.js";
import { copyService } from "../../../scripts/service-copy.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

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

function readTemplate(dir: string): CfnTemplate {
  return JSON.parse(readFileSync(path.join(dir, ".serverless", "cloudformation-template-update-stack.json"), "utf8")) as CfnTemplate;
}

/** This run's packaged service: the CI stage's output when given, else one private packaging. */
export async function packagedService(): Promise<PackagedService> {
  const given = process.env[PACKAGED_DIR_ENV];
  if (given) return { dir: given, template: readTemplate(given), cleanup: () => {} };
  return packageService();
}

/** Packages a private copy with the run's arguments plus `extra` (a later --param wins). */
export async function packageService(extra: string[] = []): Promise<PackagedService> {
  const { dir, remove } = copyService("stepdeploy-pkg-");
  const osls = path.join(ROOT, "node_modules", ".bin", "osls");
  const args = [...PACKAGE_ARGS, ...extra];
  try {
    await promisify(execFile)(osls, args, { cwd: dir, env: { ...process.env, ...OSLS_ENV }, maxBuffer: 16 * 1024 * 1024, timeout: 170_000 });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    remove();
    throw new Error(`osls ${args.join(" ")} failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
  return { dir, template: readTemplate(dir), cleanup: remove };
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
