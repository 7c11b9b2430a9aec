import { isPlaceholder } from "../appspec/check.js";
import type { AppSpecResult } from "../appspec/index.js";
import type { BundleEntry } from "../bundles/index.js";
import { ValidationErrors } from "../errors.js";
import { ReleaseErrorNames } from "./errors.js";
import type { EcrReleaseSource, S3ReleaseSource } from "./source-config.js";
import { checkHooksAllowed, checkTargetAllowed, type HookEvent, type TargetPolicy } from "./targets.js";
import type { Trigger } from "./trigger.js";

/**
 * What a release does, decided from the source, the trigger and (S3) the bundle, before anything in
 * the account changes:
 * - S3 bundle with the code package (`codePackage`, default function.zip): publish it, deploy the new version;
 * - S3 bundle without it: deploy the appspec's TargetVersion, which must then be a real version;
 * - ECR push: point the container-image function at the pushed digest, publish, deploy.
 * The function and alias must be the source's own and the hooks allowed (targets.ts); the account
 * is checked next (preflight.ts), and only then is any code uploaded or published.
 */
export type PublishStep = { kind: "zip"; codePackage: string } | { kind: "image"; imageUri: string; codeSha256: string } | null;

export interface ReleasePlan {
  platform: "lambda";
  functionName: string;
  alias: string;
  /** The appspec's CurrentVersion; null: absent or a placeholder (the alias's version is used). */
  currentVersion: string | null;
  /** null: the version the release publishes. */
  targetVersion: string | null;
  publish: PublishStep;
  hooks: Record<HookEvent, string | null>;
  /** Where each value came from, for error messages (`appspec Resources[0].orders.Properties.Alias`, `thumbnailer.function.alias`). */
  fields: { alias: string; currentVersion: string; targetVersion: string; hooks: Record<HookEvent, string> };
  /** Choices made on the user's behalf, shown in the output and the logs. */
  notes: string[];
}

/** What a release fills in itself (it publishes the target, reads the current version from the alias): the only placeholders a release bundle's appspec may keep. */
export const releaseFillsIn = (path: string): boolean => /\.(CurrentVersion|TargetVersion)$/i.test(path);

const realVersion = (v: string | undefined): string | null => (v === undefined || isPlaceholder(v) ? null : v);

export function planFromBundle(source: S3ReleaseSource, appspec: AppSpecResult, entries: readonly BundleEntry[], policy: TargetPolicy): ReleasePlan {
  const fail = (field: string, reason: string) => new ValidationErrors([{ field, reason }], ReleaseErrorNames.InvalidBundle);
  if (appspec.platform !== "lambda") throw fail("appspec", `is a ${appspec.platform ?? "unknown"} AppSpec; release source '${source.name}' deploys Lambda functions`);
  if (!appspec.valid) {
    throw new ValidationErrors(
      appspec.errors.map((e) => ({ field: `appspec ${e.path}${e.line ? ` (line ${e.line})` : ""}`, reason: e.message })),
      ReleaseErrorNames.InvalidBundle,
    );
  }
  const fn = appspec.resources.find((r) => r.kind === "lambda-function");
  if (fn?.kind !== "lambda-function") throw fail("appspec Resources", "names no AWS::Lambda::Function");
  const at = (property: string) => `appspec ${fn.path}.Properties.${property}`;
  checkTargetAllowed(source, { name: fn.name, alias: fn.alias }, policy, at("Name"));
  const hookOf = (event: string) => {
    const h = appspec.hooks.find((x) => x.kind === "function" && x.event === event);
    return h && h.kind === "function" ? { name: h.functionName, path: `appspec ${h.path}` } : null;
  };
  const before = hookOf("BeforeAllowTraffic");
  const after = hookOf("AfterAllowTraffic");
  // The source's hooks are defaults (a group's `hooks`); the appspec's Hooks replace them per lifecycle event.
  const hooks = { beforeAllowTraffic: before?.name ?? source.hooks.beforeAllowTraffic, afterAllowTraffic: after?.name ?? source.hooks.afterAllowTraffic };
  const defaultField = (event: HookEvent) => (source.hooks[event] ? `${source.name}.hooks.${event}` : "appspec Hooks");
  const hookFields = { beforeAllowTraffic: before?.path ?? defaultField("beforeAllowTraffic"), afterAllowTraffic: after?.path ?? defaultField("afterAllowTraffic") };
  checkHooksAllowed(hooks, fn.name, policy, (event) => hookFields[event]);

  const notes: string[] = [];
  const hasPackage = entries.some((e) => e.type === "file" && e.path === source.codePackage);
  let target = realVersion(fn.targetVersion);
  let publish: PublishStep = null;
  if (hasPackage) {
    publish = { kind: "zip", codePackage: source.codePackage };
    if (target) notes.push(`the appspec's TargetVersion ${target} is replaced by the version published from ${source.codePackage}`);
    else notes.push(`TargetVersion ${fn.targetVersion ? `${fn.targetVersion} (a placeholder)` : "absent"}: publishing ${source.codePackage} as a new version`);
    target = null;
  } else if (!target) {
    throw new ValidationErrors(
      [{ field: at("TargetVersion"), reason: `is ${fn.targetVersion ? `the placeholder ${fn.targetVersion}` : "absent"} and the bundle has no ${source.codePackage} to publish` }],
      ReleaseErrorNames.NothingToPublish,
    );
  }
  const current = realVersion(fn.currentVersion);
  if (!current) notes.push(`CurrentVersion ${fn.currentVersion ? `${fn.currentVersion} (a placeholder)` : "absent"}: the alias's current version is used`);
  return {
    platform: "lambda",
    functionName: fn.name,
    alias: fn.alias,
    currentVersion: current,
    targetVersion: target,
    publish,
    hooks,
    fields: { alias: at("Alias"), currentVersion: at("CurrentVersion"), targetVersion: at("TargetVersion"), hooks: hookFields },
    notes,
  };
}

/** The image URI by digest (never by tag: a tag can move between the push and the update). */
export function imageUriOf(t: Trigger & { kind: "ecr" }, fallback: { region: string; accountId: string }): string {
  return `${t.account ?? fallback.accountId}.dkr.ecr.${t.region ?? fallback.region}.amazonaws.com/${t.repository}@${t.digest}`;
}

export function planFromImage(s: EcrReleaseSource, t: Trigger & { kind: "ecr" }, policy: TargetPolicy): ReleasePlan {
  const at = (field: string) => `${s.name}.${field}`;
  checkTargetAllowed(s, s.function, policy, at("function.name"));
  checkHooksAllowed(s.hooks, s.function.name, policy, (event) => at(`hooks.${event}`));
  return {
    platform: "lambda",
    functionName: s.function.name,
    alias: s.function.alias,
    currentVersion: null,
    targetVersion: null,
    // UNCONFIRMED (docs/releases.md): for an image function Lambda reports CodeSha256 as the image digest's hex.
    publish: { kind: "image", imageUri: imageUriOf(t, policy), codeSha256: t.digest.replace(/^sha256:/, "") },
    hooks: s.hooks,
    fields: { alias: at("function.alias"), currentVersion: at("function.alias"), targetVersion: at("ecr"), hooks: { beforeAllowTraffic: at("hooks.beforeAllowTraffic"), afterAllowTraffic: at("hooks.afterAllowTraffic") } },
    notes: [
      `container image ${t.repository}@${t.digest}${t.tag ? ` (pushed as :${t.tag})` : ""}: updating ${s.function.name} and publishing a version`,
      "UNCONFIRMED: Lambda's CodeSha256 of an image function is taken to be the digest's hex; if Lambda reports otherwise the release stops at ImageShaMatches before publishing (docs/releases.md)",
    ],
  };
}
