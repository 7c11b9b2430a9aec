import { PassThrough } from "node:stream";
import { BundleError, BundleErrorNames } from "./errors.js";
import { appSpecTooLarge, type BundleLimits, EXPANSION_RATIO_FLOOR } from "./limits.js";
import { EntryTree } from "./entry-tree.js";
import { LinkChecks } from "./link-checks.js";
import { checkNameLengths, normalizeEntryPath } from "./paths.js";
import type { BundleEntry, EntryType, InspectOptions } from "./types.js";

/** An entry's content: a Node or streamx (tar-stream) readable. */
export type ContentStream = AsyncIterable<Buffer> & { destroy(error?: Error): unknown };

/** A check of an entry's data as it streams (a zip's CRC-32): sees every chunk, then judges at the end by throwing. */
export interface DataCheck {
  update(chunk: Buffer): void;
  finish(): void;
}

/** File names CodeDeploy looks for at the bundle root, in the order we prefer them (docs/appspec.md). */
export const APPSPEC_NAMES = ["appspec.yml", "appspec.yaml", "appspec.json"] as const;

/**
 * Everything the zip and tar readers share: per-entry validation (paths, duplicates, links, caps), byte counting
 * while content streams through, the appspec buffer, and extraction to the caller. One instance per inspection.
 */
export class EntryChecks {
  readonly entries: BundleEntry[] = [];
  readonly extracted: Record<string, Buffer> = {};
  expandedBytes = 0;
  private readonly appSpecTexts = new Map<string, string>();
  readonly appSpecCandidates: string[] = [];
  /** First appspec found below the root, and first one at the root spelled in another case, to explain a NoAppSpec. */
  nestedAppSpec?: string;
  miscasedAppSpec?: string;
  private readonly tree = new EntryTree();
  private readonly links = new LinkChecks(this.tree);
  private extractedBytes = 0;
  /** Bytes of the archive read so far (all of it for a zip, a running count for a tar stream). */
  archiveBytes: () => number = () => Number.POSITIVE_INFINITY;

  constructor(
    private readonly limits: BundleLimits,
    private readonly options: InspectOptions,
  ) {}

  /**
   * Validates one entry's header. `declaredSize` is only used to fail early; the real count happens in
   * `consume`. Returns undefined for the root directory entry ("./"), which is skipped.
   */
  register(rawName: string, type: EntryType, declaredSize: number, linkTarget?: string): BundleEntry | undefined {
    checkNameLengths(rawName, linkTarget, this.limits);
    const { path, isDir } = normalizeEntryPath(rawName);
    if (path === "") {
      if (type === "directory" || isDir) return undefined;
      throw new BundleError(BundleErrorNames.UnsafePath, `entry '${rawName}' has no name`, { entry: rawName });
    }
    if (this.entries.length + 1 > this.limits.maxEntries) {
      throw new BundleError(BundleErrorNames.TooLarge, `the bundle has more than ${this.limits.maxEntries} entries (maxEntries)`, { entry: rawName });
    }
    if (declaredSize > this.limits.maxEntryBytes) {
      throw new BundleError(BundleErrorNames.TooLarge, `entry '${path}' declares ${declaredSize} bytes, above maxEntryBytes ${this.limits.maxEntryBytes}`, { entry: rawName });
    }
    if (this.expandedBytes + declaredSize > this.limits.maxExpandedBytes) {
      throw new BundleError(BundleErrorNames.TooLarge, `entry '${path}' declares ${declaredSize} bytes, which would take the bundle past maxExpandedBytes ${this.limits.maxExpandedBytes}`, { entry: rawName });
    }
    const entry: BundleEntry = { path, type, size: 0 };
    const node = this.tree.add(path, type, rawName);
    if (type === "symlink" || type === "hardlink") {
      entry.linkTarget = linkTarget ?? "";
      this.links.add(entry, node, rawName);
    }
    this.entries.push(entry);
    const base = path.slice(path.lastIndexOf("/") + 1);
    if ((APPSPEC_NAMES as readonly string[]).includes(base)) {
      if (path === base) {
        if (type !== "file") throw new BundleError(BundleErrorNames.UnsupportedEntry, `${path} at the bundle root is a ${type}; it must be a regular file`, { entry: rawName });
        if (declaredSize > this.limits.maxAppSpecBytes) throw appSpecTooLarge(`${path} declares ${declaredSize} bytes`, this.limits.maxAppSpecBytes, rawName);
        this.appSpecCandidates.push(path);
      } else this.nestedAppSpec ??= path;
    } else if (path === base && (APPSPEC_NAMES as readonly string[]).includes(base.toLowerCase())) {
      this.miscasedAppSpec ??= path;
    }
    return entry;
  }

  /**
   * Refuses more than maxExpansionRatio decompressed bytes per archive byte once past EXPANSION_RATIO_FLOOR (a
   * compression bomb): by default the bundle so far against the archive bytes read so far; with `compressed`
   * and `entry`, one zip entry's declared sizes, before it is inflated.
   */
  checkExpansion(expanded: number, compressed = this.archiveBytes(), entry?: string): void {
    if (expanded <= EXPANSION_RATIO_FLOOR || expanded <= this.limits.maxExpansionRatio * compressed) return;
    const what = entry === undefined ? `the bundle decompresses to ${expanded} bytes from ${compressed} archive bytes` : `entry '${entry}' declares ${expanded} bytes from ${compressed} compressed`;
    throw new BundleError(BundleErrorNames.TooLarge, `${what}, more than maxExpansionRatio ${this.limits.maxExpansionRatio} to 1: a compression bomb`, entry === undefined ? {} : { entry });
  }

  /** After the last entry: the checks that need every entry (links that point at or through other links). */
  checkLinkChains(): void {
    this.links.checkChains();
  }

  /** Whether the caller asked for this entry's content. */
  wants(entry: BundleEntry): boolean {
    const x = this.options.extract;
    if (!x || entry.type !== "file") return false;
    return typeof x === "function" ? x(entry.path) : x.includes(entry.path);
  }

  /**
   * Streams an entry's content through the caps: counts actual bytes, keeps the appspec (bounded), hands
   * selected entries to the caller, discards the rest. Never holds more than one chunk of other entries.
   */
  async consume(entry: BundleEntry, content: ContentStream, check?: DataCheck): Promise<void> {
    const isAppSpec = entry.type === "file" && this.appSpecCandidates.includes(entry.path);
    const wanted = this.wants(entry);
    const appSpecChunks: Buffer[] = [];
    const extractChunks: Buffer[] = [];
    let sink: PassThrough | undefined;
    let consumer: Promise<void> | undefined;
    let consumerDone = false;
    let consumerError: unknown;
    const onEntry = this.options.onEntry;
    if (wanted && onEntry) {
      const stream = new PassThrough();
      sink = stream;
      consumer = Promise.resolve()
        .then(() => onEntry({ ...entry }, stream))
        .then(
          () => {
            consumerDone = true;
          },
          (e: unknown) => {
            consumerDone = true;
            consumerError = e ?? new Error("onEntry failed");
          },
        );
    }
    try {
      for await (const chunk of content) {
        check?.update(chunk);
        entry.size += chunk.length;
        this.expandedBytes += chunk.length;
        this.checkExpansion(this.expandedBytes);
        if (entry.size > this.limits.maxEntryBytes) {
          throw new BundleError(BundleErrorNames.TooLarge, `entry '${entry.path}' expands past maxEntryBytes ${this.limits.maxEntryBytes}`, { entry: entry.path });
        }
        if (this.expandedBytes > this.limits.maxExpandedBytes) {
          throw new BundleError(BundleErrorNames.TooLarge, `the bundle expands past maxExpandedBytes ${this.limits.maxExpandedBytes} (at entry '${entry.path}')`, { entry: entry.path });
        }
        if (isAppSpec) {
          if (entry.size > this.limits.maxAppSpecBytes) throw appSpecTooLarge(`${entry.path} is larger`, this.limits.maxAppSpecBytes, entry.path);
          appSpecChunks.push(chunk);
        }
        if (wanted && sink) {
          // A consumer that returns early stops receiving data; the rest is still counted and discarded.
          if (!consumerDone && !sink.write(chunk)) await drained(sink, consumer!);
          if (consumerError !== undefined) throw consumerError;
        } else if (wanted) {
          this.extractedBytes += chunk.length;
          if (this.extractedBytes > this.limits.maxExtractBytes) {
            throw new BundleError(BundleErrorNames.TooLarge, `extracted entries exceed maxExtractBytes ${this.limits.maxExtractBytes} (at '${entry.path}'); pass onEntry to stream them instead`, { entry: entry.path });
          }
          extractChunks.push(chunk);
        }
      }
      check?.finish();
    } catch (e) {
      // Ends the consumer's stream without an 'error' event nobody listens to; the caller gets `e`.
      sink?.destroy();
      content.destroy();
      throw e;
    }
    if (sink) {
      sink.end();
      await consumer;
      if (consumerError !== undefined) throw consumerError;
    }
    if (isAppSpec) this.appSpecTexts.set(entry.path, Buffer.concat(appSpecChunks).toString("utf8"));
    if (wanted && !sink) this.extracted[entry.path] = Buffer.concat(extractChunks);
  }

  /** Reads a (small) symlink target from the entry's content, bounded by maxLinkTargetBytes. */
  async readLinkTarget(rawName: string, content: ContentStream, check?: DataCheck): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of content) {
      check?.update(chunk);
      size += chunk.length;
      if (size > this.limits.maxLinkTargetBytes) {
        content.destroy();
        throw new BundleError(BundleErrorNames.TooLarge, `symlink '${rawName}' has a target longer than ${this.limits.maxLinkTargetBytes} bytes`, { entry: rawName });
      }
      chunks.push(chunk);
    }
    check?.finish();
    return Buffer.concat(chunks).toString("utf8");
  }

  /** After the last entry: the appspec, or Bundle.NoAppSpec with a hint. */
  requireAppSpec(): { path: string; text: string } {
    for (const name of APPSPEC_NAMES) {
      const text = this.appSpecTexts.get(name);
      if (text !== undefined) return { path: name, text };
    }
    const hint = this.miscasedAppSpec
      ? `; found ${this.miscasedAppSpec}: the name is case-sensitive (the CodeDeploy agent on Linux would not find it)`
      : this.nestedAppSpec
        ? `; found ${this.nestedAppSpec}: archive the folder's contents, not the folder, so the appspec sits at the root`
        : "";
    throw new BundleError(BundleErrorNames.NoAppSpec, `no ${APPSPEC_NAMES.join(", ")} at the bundle root${hint}`);
  }
}

/** Resolves when the sink wants more data or the consumer has finished, whichever comes first. */
function drained(sink: PassThrough, consumer: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off("drain", done);
      sink.off("close", done);
      resolve();
    };
    sink.on("drain", done);
    sink.on("close", done);
    consumer.then(done, done);
  });
}
