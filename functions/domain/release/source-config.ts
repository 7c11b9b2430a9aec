import * as z from "zod";
import { ValidationErrors } from "../errors.js";
import { type Problem, problemsOf, record, text } from "../schema/fields.js";
import { ReleaseErrorNames } from "./errors.js";

/**
 * Release sources (config/releases.<stage>.json, handed to the functions as RELEASE_SOURCES), defined once as zod
 * schemas: the validation, the TypeScript types and schemas/releases.schema.json come from here. Every problem is
 * reported at once with its path (`[1].s3.bucket: ...`) as `Release.InvalidConfiguration`. What the fields mean:
 * sources.ts and docs/releases.md.
 */
export const RELEASE_PLATFORMS = ["lambda", "ecs"] as const;
export const DEFAULT_CODE_PACKAGE = "function.zip";
/** CodePipeline's ECR source defaults to `latest`; an empty tag matches any tag (codepipeline-spec §4.3). */
export const DEFAULT_ECR_TAG = "latest";

const NAME = { pattern: /^[A-Za-z0-9_-]{1,32}$/, means: "must be 1-32 of A-Z a-z 0-9 _ - (it starts every release's execution name)", quote: true };
const BUCKET = { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, means: "is not a valid S3 bucket name", quote: true };
const REPOSITORY = { pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, means: "is not a valid ECR repository name", quote: true };
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// Lambda's name rules (Lambda API reference: FunctionName, Alias Name). A plain name only: the appspec must name
// the function exactly as configured, and the IAM grants are derived from these names.
const FUNCTION_NAME = { pattern: /^[a-zA-Z0-9_-]{1,64}$/, means: "must be a Lambda function name (1-64 of A-Z a-z 0-9 _ -; not an ARN)", quote: true };
const ALIAS_NAME = { pattern: /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/, means: "must be a Lambda alias name (1-128 of A-Z a-z 0-9 _ -, not only digits)", quote: true };

/** Settings copied into the deploy-lambda input; their values are checked there, by the deployment's own rules (deployment.ts). */
const SETTINGS = {
  deploymentConfig: z.unknown().optional().meta({ description: "A CodeDeployDefault.Lambda* name or a custom config (default CodeDeployDefault.LambdaAllAtOnce)." }),
  alarms: z.array(z.string({ error: "must be an alarm name" }), { error: "must be a list of CloudWatch alarm names" }).optional(),
  autoRollback: z.unknown().optional(),
  alarmPollSeconds: z.number({ error: "must be a number of seconds" }).optional(),
  alarmMonitoring: z.string({ error: 'must be "events" or "polling"' }).optional(),
  ignorePollAlarmFailure: z.boolean({ error: "must be true or false" }).optional(),
  metricGates: z.unknown().optional(),
  hookTimeoutSeconds: z.number({ error: "must be a number of seconds" }).optional(),
};
const SettingsSchema = record(SETTINGS, "of deployment settings", `is not a release deployment setting (one of ${Object.keys(SETTINGS).join(", ")})`);

export const ReleaseTargetSchema = record({ name: text(FUNCTION_NAME), alias: text(ALIAS_NAME) }, "{name, alias}", "is not a target field (name, alias)");
export type ReleaseTarget = z.output<typeof ReleaseTargetSchema>;

const hookName = text().nullish().transform((v) => v ?? null);
const HooksSchema = record({ beforeAllowTraffic: hookName, afterAllowTraffic: hookName }, "{beforeAllowTraffic, afterAllowTraffic}", "is not a hook (beforeAllowTraffic, afterAllowTraffic)");
const NO_HOOKS = { beforeAllowTraffic: null, afterAllowTraffic: null };

const NAMES = { name: text(NAME), application: text(), deploymentGroup: text() };
const COMMON = {
  ...NAMES,
  platform: z.literal("lambda", { error: (iss) => `must be one of ${RELEASE_PLATFORMS.join(", ")}, got '${String(iss.input)}'` }).default("lambda"),
  deployment: SettingsSchema.default({}),
  /** Hook defaults; an S3 bundle's appspec Hooks replace them per lifecycle event. */
  hooks: HooksSchema.default(NO_HOOKS).meta({ description: "The hooks' function names (for S3 sources: defaults that the appspec's Hooks replace per event)." }),
};

export const S3ReleaseSourceSchema = record(
  {
    ...COMMON,
    s3: record({ bucket: text(BUCKET), prefix: z.string({ error: "must be a string (may be empty)" }).default("") }, "{bucket, prefix}"),
    functions: z
      .array(ReleaseTargetSchema, { error: "is required: the [{name, alias}] this source's uploads may deploy (an appspec naming anything else is refused)" })
      .min(1, { error: "is required: the [{name, alias}] this source's uploads may deploy (an appspec naming anything else is refused)" }),
    codePackage: z
      .string({ error: "must be a relative path to a .zip inside the bundle" })
      .refine((p) => /\.zip$/.test(p) && !p.startsWith("/") && !p.split("/").includes(".."), { error: "must be a relative path to a .zip inside the bundle" })
      .default(DEFAULT_CODE_PACKAGE),
  },
  "{name, application, deploymentGroup, s3, functions}",
  "is not an S3 release source field (s3, functions, codePackage, hooks)",
).meta({ title: "S3 release source", description: "Uploads under s3://bucket/prefix start releases of the bundle's appspec target (one of `functions`)." });

const EcrSchema = record(
  {
    repository: text(REPOSITORY),
    tag: z
      .string({ error: 'must be an image tag, or "" for any tag' })
      .refine((t) => t === "" || TAG.test(t), { error: 'must be an image tag, or "" for any tag' })
      .default(DEFAULT_ECR_TAG),
  },
  "{repository, tag}",
);

export const EcrReleaseSourceSchema = record(
  {
    ...COMMON,
    ecr: EcrSchema,
    function: record(ReleaseTargetSchema.shape, "{name, alias}", "is not a target field (name, alias)", "is required for an ECR source: {name, alias} of the container-image function"),
  },
  "{name, application, deploymentGroup, ecr, function}",
  "is not an ECR release source field (ecr, function, hooks)",
).meta({ title: "ECR release source", description: "Pushes to the repository (and tag) start releases of the container-image function." });

/**
 * An ECS service released by ECR pushes: a new task definition revision from the service's PRIMARY one with the
 * pushed image pinned by digest, deployed blue/green by deploy-ecs. `deployment` holds the deploy-ecs input's fields
 * other than application, deploymentGroup and revision (`ecs`, `deploymentConfig`, `blueGreen`, `hooks`, `alarms`,
 * ...), checked by the deployment's own rules when a release is planned (docs/ecs.md).
 */
export const EcsServiceReleaseSourceSchema = record(
  {
    ...NAMES,
    platform: z.literal("ecs"),
    ecr: EcrSchema,
    deployment: z
      .record(z.string(), z.unknown(), { error: "must be an object: the deploy-ecs input's fields (ecs, deploymentConfig, blueGreen, hooks, alarms, ...)" })
      .refine((d) => typeof d.ecs === "object" && d.ecs !== null, { error: "needs ecs {cluster, service, targetGroups, prodTrafficRoute, ...}: the service the pushes release" })
      .refine((d) => !("revision" in d) && !("application" in d) && !("deploymentGroup" in d), { error: "takes no revision, application or deploymentGroup: the push and the source give them" }),
  },
  "{name, platform: ecs, application, deploymentGroup, ecr, deployment}",
  "is not an ECS release source field (ecr, deployment)",
).meta({ title: "ECS release source", description: "Pushes to the repository (and tag) register a task definition revision pinned by digest and deploy it to the ECS service." });

export type S3ReleaseSource = z.output<typeof S3ReleaseSourceSchema>;
export type EcrReleaseSource = z.output<typeof EcrReleaseSourceSchema>;
export type EcsServiceReleaseSource = z.output<typeof EcsServiceReleaseSourceSchema>;
export type LambdaReleaseSource = S3ReleaseSource | EcrReleaseSource;
export type ReleaseSource = LambdaReleaseSource | EcsServiceReleaseSource;
export type ReleaseDeploymentSettings = LambdaReleaseSource["deployment"];

/** The ECS service a source releases (`cluster/service`), or null for a Lambda source. */
export function ecsServiceOf(source: ReleaseSource): string | null {
  if (source.platform !== "ecs") return null;
  const ecs = source.deployment.ecs as { cluster?: unknown; service?: unknown };
  return `${String(ecs.cluster)}/${String(ecs.service)}`;
}

/** What a source may deploy: its `functions` (S3) or its one `function` (ECR). */
export function targetsOf(source: ReleaseSource): ReleaseTarget[] {
  if (source.platform === "ecs") return [];
  return "s3" in source ? source.functions : [source.function];
}

/** The file as published (schemas/releases.schema.json); RELEASE_SOURCES carries its `sources`. */
export const ReleasesFileSchema = record(
  {
    $schema: z.string().optional(),
    sources: z.array(z.union([S3ReleaseSourceSchema, EcrReleaseSourceSchema, EcsServiceReleaseSourceSchema]), { error: "must be a list of release sources" }),
  },
  "{sources}",
).meta({ title: "stepdeploy release sources", description: "Which S3 uploads and ECR pushes start which releases, for one stage (docs/releases.md)." });

/** A source where it came from: `[1]` in the file, or the group that declares it. */
export interface LabelledSource {
  at: string;
  source: ReleaseSource;
}

/** Parses and checks the whole list; every problem is reported with its path (`[1].s3.bucket: ...`). */
export function parseReleaseSources(raw: unknown): ReleaseSource[] {
  return checkedSources(parseLabelled(raw), []).map((l) => l.source);
}

/** The list's sources with their labels, or every problem at once. */
export function parseLabelled(raw: unknown): LabelledSource[] {
  const value = typeof raw === "string" ? jsonOf(raw) : raw;
  if (!Array.isArray(value)) throw invalid([{ field: "RELEASE_SOURCES", reason: "must be a list of release sources" }]);
  const problems: Problem[] = [];
  const out: LabelledSource[] = [];
  for (const [i, item] of value.entries()) {
    const at = `[${i}]`;
    const hasS3 = isObj(item) && item.s3 !== undefined;
    const hasEcr = isObj(item) && item.ecr !== undefined;
    if (!isObj(item)) problems.push({ field: at, reason: "must be an object" });
    else if (item.platform === "ecs" && !hasEcr) problems.push({ field: at, reason: "an ECS source is released by ECR pushes: give ecr {repository, tag}" });
    else if (hasS3 === hasEcr) problems.push({ field: at, reason: "give exactly one of s3 {bucket, prefix} or ecr {repository, tag}" });
    else {
      const r = (item.platform === "ecs" ? EcsServiceReleaseSourceSchema : hasS3 ? S3ReleaseSourceSchema : EcrReleaseSourceSchema).safeParse(item);
      if (r.success) out.push({ at, source: r.data });
      else problems.push(...problemsOf(r.error, "").map((p) => ({ field: `${at}${p.field.startsWith("[") || p.field === "" ? "" : "."}${p.field}`, reason: p.reason })));
    }
  }
  if (problems.length) throw invalid(problems);
  return out;
}

/**
 * `sources` plus `more` (the groups' release sections), checked together: names are unique, no event can match two
 * sources (releases of one upload never race each other), and a function:alias belongs to one source only.
 */
export function checkedSources(sources: LabelledSource[], more: LabelledSource[]): LabelledSource[] {
  const all = [...sources, ...more];
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  for (const { at, source } of all) {
    const service = ecsServiceOf(source);
    for (const key of service ? [`ECS service ${service}`] : targetsOf(source).map((t) => `${t.name}:${t.alias}`)) {
      const first = owner.get(key);
      if (first !== undefined) problems.push({ field: at, reason: `${key} is already a target of ${first}: ${service ? "a service belongs" : "a function and alias belong"} to one release source` });
      else owner.set(key, at);
    }
  }
  for (const [i, { at: atA, source: a }] of all.entries()) {
    for (const { at: atB, source: b } of all.slice(i + 1)) {
      if (a.name === b.name) problems.push({ field: `${atB}.name`, reason: `'${b.name}' is also the name of ${atA}` });
      if ("s3" in a && "s3" in b && a.s3.bucket === b.s3.bucket && (a.s3.prefix.startsWith(b.s3.prefix) || b.s3.prefix.startsWith(a.s3.prefix))) {
        problems.push({ field: `${atB}.s3.prefix`, reason: `overlaps ${atA} (bucket ${a.s3.bucket}, prefixes '${a.s3.prefix}' and '${b.s3.prefix}'): an upload could start two releases` });
      }
      if ("ecr" in a && "ecr" in b && a.ecr.repository === b.ecr.repository && (a.ecr.tag === b.ecr.tag || a.ecr.tag === "" || b.ecr.tag === "")) {
        problems.push({ field: `${atB}.ecr.tag`, reason: `overlaps ${atA} (repository ${a.ecr.repository}, tags '${a.ecr.tag}' and '${b.ecr.tag}'): a push could start two releases` });
      }
    }
  }
  if (problems.length) throw invalid(problems);
  return all;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const invalid = (problems: Problem[]) => new ValidationErrors(problems, ReleaseErrorNames.InvalidConfiguration);

function jsonOf(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw invalid([{ field: "RELEASE_SOURCES", reason: `not JSON: ${(e as Error).message}` }]);
  }
}
