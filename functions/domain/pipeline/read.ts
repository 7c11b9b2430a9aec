import { parse } from "yaml";
import type { KeyStyle, Raw } from "./checker.js";
import { CLOUDFORMATION_TAGS } from "./intrinsics.js";
import type { DefinitionShape, PipelineIssue } from "./types.js";

/**
 * Reads a pipeline definition file (JSON or YAML) and finds the pipeline declaration in it, in any
 * of the shapes people keep:
 * - `aws codepipeline get-pipeline` output: `{pipeline, metadata}` (metadata is ignored, as
 *   update-pipeline needs it stripped: codepipeline-spec §1.1);
 * - a `create-pipeline` / `update-pipeline` input: `{pipeline, tags?}`;
 * - the bare declaration `{name, roleArn, stages, ...}`;
 * - a CloudFormation template with an `AWS::CodePipeline::Pipeline` resource (or the resource alone,
 *   `{Type, Properties}`), PascalCase, long-form or short-form intrinsics.
 */
export interface LocatedDeclaration {
  shape: DefinitionShape;
  declaration: unknown;
  /** Path of the declaration in the file (`pipeline`, `Resources.AppPipeline.Properties`, or ""). */
  prefix: string;
  style: KeyStyle;
  /** CloudFormation logical id, the name when the resource has no `Name` (CloudFormation generates one). */
  logicalId?: string;
  /** Top-level fields next to the declaration that are not read, with their path. */
  others?: { path: string; names: readonly string[] };
}

export type Located = { ok: true; found: LocatedDeclaration } | { ok: false; error: PipelineIssue };

export const PIPELINE_RESOURCE = "AWS::CodePipeline::Pipeline";

export function parseDefinitionText(input: string): { value?: unknown; error?: PipelineIssue } {
  const text = input.replace(/^\uFEFF/, "");
  if (text.trim() === "") return { error: { path: "", message: "the file is empty" } };
  if (/^\s*[{[]/.test(text)) {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (e) {
      return { error: { path: "", message: `not valid JSON: ${(e as Error).message.split("\n")[0]}` } };
    }
  }
  try {
    return { value: parse(text, { customTags: CLOUDFORMATION_TAGS, prettyErrors: false, uniqueKeys: true }) as unknown };
  } catch (e) {
    return { error: { path: "", message: `not valid YAML: ${(e as Error).message.split("\n")[0]}` } };
  }
}

function isObject(v: unknown): v is Raw {
  return Boolean(v) && typeof v === "object" && !Array.isArray(v);
}

/** Finds the declaration; `resource` picks one pipeline resource of a template that has several. */
export function locateDeclaration(root: unknown, resource?: string): Located {
  if (!isObject(root)) return { ok: false, error: { path: "", message: "a pipeline definition must be an object (get-pipeline output, create-pipeline input, or a CloudFormation template)" } };
  if (isObject(root["Resources"])) return locateInTemplate(root["Resources"], resource);
  if (root["Type"] === PIPELINE_RESOURCE) return { ok: true, found: { shape: "cloudformation", declaration: root["Properties"] ?? {}, prefix: "Properties", style: "pascal" } };
  if ("pipeline" in root) {
    const shape: DefinitionShape = "metadata" in root ? "get-pipeline" : "create-pipeline";
    const names = shape === "get-pipeline" ? ["pipeline", "metadata"] : ["pipeline", "tags"];
    return { ok: true, found: { shape, declaration: root["pipeline"], prefix: "pipeline", style: "camel", others: { path: "", names } } };
  }
  if ("stages" in root || "roleArn" in root) return { ok: true, found: { shape: "declaration", declaration: root, prefix: "", style: "camel" } };
  if ("Stages" in root || "RoleArn" in root) return { ok: true, found: { shape: "cloudformation", declaration: root, prefix: "", style: "pascal" } };
  return { ok: false, error: { path: "", message: "no pipeline found: expected get-pipeline output ({pipeline, metadata}), a create-pipeline input ({pipeline}), or a CloudFormation template with an AWS::CodePipeline::Pipeline resource" } };
}

function locateInTemplate(resources: Raw, wanted?: string): Located {
  const ids = Object.keys(resources).filter((id) => isObject(resources[id]) && (resources[id] as Raw)["Type"] === PIPELINE_RESOURCE);
  if (wanted !== undefined && !ids.includes(wanted)) {
    return { ok: false, error: { path: "Resources", message: `no ${PIPELINE_RESOURCE} resource named '${wanted}'; the template has ${ids.length ? ids.join(", ") : "none"}` } };
  }
  if (ids.length === 0) return { ok: false, error: { path: "Resources", message: `the template has no ${PIPELINE_RESOURCE} resource` } };
  if (ids.length > 1 && wanted === undefined) {
    return { ok: false, error: { path: "Resources", message: `the template has ${ids.length} pipelines (${ids.join(", ")}); name one (--resource <logicalId>)` } };
  }
  const id = wanted ?? (ids[0] as string);
  const prefix = `Resources.${id}.Properties`;
  return { ok: true, found: { shape: "cloudformation", declaration: (resources[id] as Raw)["Properties"] ?? {}, prefix, style: "pascal", logicalId: id } };
}
