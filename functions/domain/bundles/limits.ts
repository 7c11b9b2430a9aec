import { APPSPEC_LIMITS, describeBytes } from "../appspec/limits.js";
import { BundleError, BundleErrorNames } from "./errors.js";

/**
 * Caps applied while streaming through a revision bundle. CodeDeploy documents no revision size limit
 * (codedeploy-spec §8), so these are ours: large enough for real applications, small enough that a
 * hostile archive cannot fill a Lambda's /tmp or spin for minutes. Every cap is configurable per call.
 */
export interface BundleLimits {
  /** Entries in the archive (files, directories, links). */
  maxEntries: number;
  /** Sum of the decompressed bytes of all entries, counted while inflating (headers are not trusted). */
  maxExpandedBytes: number;
  /** Decompressed bytes of any one entry. */
  maxEntryBytes: number;
  /** Bytes of the archive itself as fetched (the zip temp file, the tar/tgz stream, the YAML/JSON object). */
  maxArchiveBytes: number;
  /**
   * The appspec (an entry, or a YAML/JSON revision), which is held in memory. Defaults to APPSPEC_LIMITS.maxBytes,
   * the one cap for every AppSpec; raising it does not help, parseAppSpec refuses anything larger.
   */
  maxAppSpecBytes: number;
  /** Total of entries buffered for the caller when `extract` is used without `onEntry`. */
  maxExtractBytes: number;
  /** A symlink's or hardlink's target text. */
  maxLinkTargetBytes: number;
  /** An entry's name; no component may exceed 255 bytes either (NAME_MAX): such an entry cannot be extracted. */
  maxPathBytes: number;
  /**
   * Decompressed bytes per archive byte, checked once more than EXPANSION_RATIO_FLOOR has been decompressed:
   * deflate's ceiling is about 1,032:1, real revisions (code, text, images) stay under 20:1, and a bomb that
   * honestly declares 2 GiB of zeros would otherwise be inflated to the last byte.
   */
  maxExpansionRatio: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxEntries: 50_000,
  maxExpandedBytes: 2048 * MiB,
  maxEntryBytes: 2048 * MiB,
  maxArchiveBytes: 1024 * MiB,
  maxAppSpecBytes: APPSPEC_LIMITS.maxBytes,
  maxExtractBytes: 256 * MiB,
  maxLinkTargetBytes: 4096,
  maxPathBytes: 4096,
  maxExpansionRatio: 200,
});

/** Below this much decompressed data the expansion ratio is not checked (a small file of zeros is no bomb). */
export const EXPANSION_RATIO_FLOOR = 64 * MiB;

export function resolveLimits(partial: Partial<BundleLimits> = {}): BundleLimits {
  const limits = { ...DEFAULT_BUNDLE_LIMITS, ...partial };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`bundle limit ${k} must be a non-negative integer, got ${String(v)}`);
  }
  return limits;
}

/** Bundle.TooLarge for an appspec (`subject` says which and how large), naming the one cap every AppSpec has. */
export function appSpecTooLarge(subject: string, cap: number, entry?: string): BundleError {
  return new BundleError(BundleErrorNames.TooLarge, `${subject}, above the ${describeBytes(cap)} limit for an AppSpec (maxAppSpecBytes)`, entry === undefined ? {} : { entry });
}
