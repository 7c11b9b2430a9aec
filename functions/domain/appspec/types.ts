/**
 * The AppSpec model: what `parseAppSpec` returns for all three compute platforms.
 * Documented in docs/appspec.md.
 */

export const PLATFORMS = ["server", "lambda", "ecs"] as const;
/** Our lowercase spelling of CodeDeploy's `ComputePlatform` (`Server` | `Lambda` | `ECS`). */
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = { server: "Server (EC2/on-premises)", lambda: "Lambda", ecs: "ECS" };

/**
 * One problem, located. `path` uses the syntax described in docs/appspec.md ("Paths"):
 * map keys joined with `.`, list indices as `[n]`, keys that are not plain identifiers as `["key"]`,
 * and `(root)` for the document itself. Keys are spelled as written in the file.
 */
export interface AppSpecIssue {
  path: string;
  /** 1-based line in the file, when the problem can be tied to one. */
  line?: number;
  message: string;
}

/** A `{{NAME}}`, `${NAME}` or `<NAME>` left for a pipeline to fill in (e.g. CodePipeline's `<TASK_DEFINITION>`); one per placeholder, several may share a value. */
export interface Placeholder {
  path: string;
  line?: number;
  /** The placeholder as written, e.g. `<TASK_DEFINITION>`. */
  token: string;
}

export type ServerOs = "linux" | "windows";
export type FileExistsBehavior = "DISALLOW" | "OVERWRITE" | "RETAIN";

export interface ServerScript {
  location: string;
  /** Seconds; CodeDeploy's default 3600 when the file gives none. */
  timeoutSeconds: number;
  runas?: string;
}

export interface ServerPermission {
  object: string;
  pattern: string;
  except: string[];
  owner?: string;
  group?: string;
  /** Octal digits as the agent reads them (1-4 digits, left-padded to 3). */
  mode?: string;
  acls?: string[];
  context?: { user?: string; type: string; range?: string };
  type: ("file" | "directory")[];
}

export type AppSpecResource =
  | { kind: "files"; source: string; destination: string; path: string; line?: number }
  | {
      kind: "lambda-function";
      logicalName: string;
      name: string;
      alias: string;
      /** Absent only when parsed with `versionsOptional` (a release fills it in). */
      currentVersion?: string;
      /** Absent only when parsed with `versionsOptional` (a release publishes one). */
      targetVersion?: string;
      path: string;
      line?: number;
    }
  | {
      kind: "ecs-service";
      logicalName: string;
      taskDefinition: string;
      containerName: string;
      containerPort: number;
      platformVersion?: string;
      networkConfiguration?: { subnets: string[]; securityGroups: string[]; assignPublicIp: "ENABLED" | "DISABLED" };
      capacityProviderStrategy?: { capacityProvider: string; base?: number; weight?: number }[];
      path: string;
      line?: number;
    };

export type AppSpecHook =
  /** Server: the scripts of one lifecycle event, run in file order. */
  | { kind: "scripts"; event: string; order: number; scripts: ServerScript[]; path: string; line?: number }
  /** Lambda/ECS: one validation function per lifecycle event. */
  | { kind: "function"; event: string; order: number; functionName: string; path: string; line?: number };

export interface AppSpecResult {
  valid: boolean;
  /** Given by the caller, or detected; undefined when neither worked. */
  platform?: Platform;
  platformSource: "given" | "detected" | "unknown";
  format: "yaml" | "json";
  /** Server: the `files` mappings; Lambda: the function; ECS: the service. */
  resources: AppSpecResource[];
  /** Sorted in lifecycle (execution) order, not file order. */
  hooks: AppSpecHook[];
  /** Server only. */
  server?: { os?: ServerOs; fileExistsBehavior: FileExistsBehavior; fileExistsBehaviorGiven: boolean; permissions: ServerPermission[] };
  placeholders: Placeholder[];
  errors: AppSpecIssue[];
  /** Accepted by CodeDeploy but probably not what was meant (ignored keys, octal modes, ...). */
  warnings: AppSpecIssue[];
}

export interface ParseAppSpecOptions {
  /** Validate as this platform; detected from the content when omitted. */
  platform?: Platform;
  /**
   * A template (`stepdeploy validate` without --strict): placeholders (`{{X}}`, `${X}`, `<X>`) are warnings and
   * the structure around them is checked. Default: every placeholder is an error naming its field, as for any
   * deployment or release, which must never run an unrendered value. A function allows them only at the paths it
   * accepts (a release fills in CurrentVersion/TargetVersion itself, nothing else).
   */
  allowPlaceholders?: boolean | ((path: string) => boolean);
  /** @deprecated The default; kept so callers that say it explicitly keep compiling. */
  rejectPlaceholders?: boolean;
  /**
   * Lambda: CurrentVersion and TargetVersion may be absent. For release bundles only, where the release publishes
   * the target and reads the current version from the alias; CodeDeploy itself requires both (and `validate` too).
   */
  versionsOptional?: boolean;
}
