import type { AppSpecHook, AppSpecResource, FileExistsBehavior, ServerOs, ServerPermission } from "../appspec/index.js";

/** The S3 object of a revision, pinned: the instance fetches exactly this version and ETag. */
export interface PinnedBundle {
  bucket: string;
  key: string;
  /** Present when the bucket is versioned (CodeDeploy's BUNDLE_VERSION is set only then). */
  version?: string;
  etag: string;
  bundleType: "zip" | "tar" | "tgz";
}

/** The parts of a validated server AppSpec the instance needs (functions/domain/appspec parses and checks it). */
export interface ServerRevision {
  os: ServerOs;
  files: Extract<AppSpecResource, { kind: "files" }>[];
  fileExistsBehavior: FileExistsBehavior;
  permissions: ServerPermission[];
  hooks: Extract<AppSpecHook, { kind: "scripts" }>[];
}

/** What one instance command runs: a contiguous run of lifecycle events of one deployment. */
export interface InstallCommand {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  bundle: PinnedBundle;
  revision: ServerRevision;
  /** Lifecycle events in CodeDeploy's order (see segments.ts); reserved events are done by the script or the workflow. */
  events: string[];
  /** The command ends the instance's deployment: on success it records this revision as the last successful install. */
  final: boolean;
  /** Every event's scripts from the last successful revision on the instance (a blue/green rollback's originals); default false. */
  fromLastRevision?: boolean;
  /** Where revisions are kept on the instance (the agent's deployment root). */
  deploymentRoot: string;
  /** Revisions kept per deployment group, like the agent's `max_revisions` (default 5). */
  keepRevisions: number;
}

/** The agent's deployment root, ours beside it; Windows under ProgramData. */
export const DEFAULT_DEPLOYMENT_ROOT: Record<ServerOs, string> = {
  linux: "/opt/stepdeploy/deployment-root",
  windows: "C:\\ProgramData\\stepdeploy\\deployment-root",
};

export const DEFAULT_KEEP_REVISIONS = 5;
