import type { SimClock } from "../../clock.js";
import type { IdGenerator } from "../shared/ids.js";
import type { AliasTarget } from "./routing.js";
import type { Script, ScriptedResult } from "./script.js";

/** The Lambda world's records (lambda-world.ts owns the rules). */
export interface WorldEnv {
  clock: SimClock;
  ids: IdGenerator;
  region: string;
  accountId: string;
  /** The account's ECR: whether an image URI of this account exists, and its digest. */
  images?: { resolve(uri: string): { digest?: string; foreign: boolean } };
}

export interface CodeState {
  sha256: string;
  size: number;
  /** Where GetFunction says the code is (S3 presigned-URL stand-in) or the image. */
  imageUri?: string;
}

/** $LATEST or a published version: the configuration that GetFunctionConfiguration renders. */
export interface Snapshot {
  version: string;
  code: CodeState;
  description: string;
  lastModifiedMs: number;
  revisionId: string;
  timeout: number;
  memorySize: number;
  runtime?: string;
  handler?: string;
  role: string;
  packageType: "Zip" | "Image";
  lastUpdateStatus: "Successful" | "InProgress";
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  weights: Record<string, number>;
  description: string;
  revisionId: string;
}

export interface FunctionRecord {
  name: string;
  /** Hooks are functions declared under `hooks` in the setup; they default to a 900 s timeout. */
  kind: "function" | "hook";
  latest: Snapshot;
  /** $LATEST changed since the last PublishVersion (else PublishVersion returns the last version). */
  dirty: boolean;
  update?: { startedMs: number; readsLeft: number };
  versions: Map<string, Snapshot>;
  nextVersion: number;
  aliases: Map<string, AliasRecord>;
  script: Script;
  codeUpdateSeconds: number;
  /** Per-alias invocation counters for deterministic weighted routing. */
  routed: Map<string, number>;
}

export interface FunctionDefinition {
  name: string;
  kind?: "function" | "hook";
  /** How many versions are already published (1..n); $LATEST equals version n. */
  versions?: number;
  aliases?: Record<string, AliasTarget & { description?: string }>;
  timeoutSeconds?: number;
  memorySize?: number;
  runtime?: string;
  handler?: string;
  role?: string;
  packageType?: "Zip" | "Image";
  imageUri?: string;
  description?: string;
  results?: ScriptedResult[];
  latencySeconds?: number;
  codeUpdateSeconds?: number;
}

/** One recorded alias write (API or timeline), for "what was the routing at t". */
export interface AliasChange {
  seq: number;
  atSeconds: number;
  functionName: string;
  alias: string;
  functionVersion: string;
  additionalVersionWeights: Record<string, number>;
  operation: "setup" | "CreateAlias" | "UpdateAlias" | "DeleteAlias" | "timeline";
  /** False when the write left version and weights as they were. */
  changed: boolean;
}

export interface CodeUpdate {
  zipFile?: Uint8Array;
  s3?: { bucket: string; key: string; objectVersion?: string };
  imageUri?: string;
  publish?: boolean;
  dryRun?: boolean;
  revisionId?: string;
}
