import type { Readable } from "node:stream";
import type { BundleLimits } from "./limits.js";

/** CodeDeploy's `S3Location.bundleType` values, spelled as the API spells them (codedeploy-spec §10). */
export const BUNDLE_TYPES = ["zip", "tar", "tgz", "YAML", "JSON"] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];

export type EntryType = "file" | "directory" | "symlink" | "hardlink";

export interface BundleEntry {
  /** Normalised: forward slashes, no leading `./`, no trailing `/`. */
  path: string;
  type: EntryType;
  /** Decompressed bytes actually read (0 for directories and links). */
  size: number;
  /** Symlink target as stored (relative to the link), or hardlink target (relative to the root). */
  linkTarget?: string;
}

export interface InspectOptions {
  limits?: Partial<BundleLimits>;
  /** Entries whose content the caller wants: exact normalised paths, or a predicate. Files only. */
  extract?: readonly string[] | ((path: string) => boolean);
  /**
   * Receives each extracted entry's content as it streams; it must read `content` (or return early to skip the
   * rest). Without it, extracted entries are buffered into `extracted`, bounded by `limits.maxExtractBytes`.
   */
  onEntry?: (entry: BundleEntry, content: Readable) => Promise<void>;
  /** Where a zip read from a stream is spooled (zip needs random access). Default: os.tmpdir(). */
  tempDir?: string;
}

export interface BundleInspection {
  bundleType: BundleType;
  /** Bytes of the archive itself. */
  archiveBytes: number;
  /** Decompressed bytes of all entries, as counted while streaming. */
  expandedBytes: number;
  entries: BundleEntry[];
  /** The appspec used: appspec.yml, else appspec.yaml, else appspec.json at the root (or `(object)` for YAML/JSON revisions). */
  appSpec: { path: string; text: string };
  /** Every appspec name found at the root (normally one). */
  appSpecCandidates: string[];
  extracted: Record<string, Buffer>;
}

export type BundleSource = Readable | { path: string };
