import { PassThrough } from "node:stream";
import { BundleError, BundleErrorNames } from "./errors.js";
import { appSpecTooLarge, type BundleLimits } from "./limits.js";
import { EntryTree, type PathNode } from "./entry-tree.js";
import { normalizeEntryPath, resolveLinkTarget } from "./paths.js";
import type { BundleEntry, EntryType, InspectOptions } from "./types.js";

/** An entry's content: a Node or streamx (tar-stream) readable. */
export type ContentStream = AsyncIterable<Buffer> & { destroy(error?: Error): unknown };

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
  private readonly links: { entry: BundleEntry; node: PathNode; rawName: string }[] = [];
  private extractedBytes = 0;

  constructor(
    private readonly limits: BundleLimits,
    private readonly options: InspectOptions,
  ) {}

  /**
   * Validates one entry's header. `declaredSize` is only used to fail early; the real count happens in
   * `consume`. Returns undefined for the root directory entry ("./"), which is skipped.
   */
  register(rawName: string, type: EntryType, declaredSize: number, linkTarget?: string): BundleEntry | undefined {
    this.checkNameLengths(rawName, linkTarget);
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
      if (type === "symlink") this.checkSymlink(entry, rawName);
      else this.checkHardlink(entry, rawName);
      this.links.push({ entry, node, rawName });
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
   * Names longer than PATH_MAX (or a component longer than NAME_MAX) cannot be extracted, and a tar's PAX records
   * may carry megabytes of name per entry: refused before anything is kept.
   */
  private checkNameLengths(rawName: string, linkTarget: string | undefined): void {
    const shown = rawName.length > 200 ? `${rawName.slice(0, 200)}…` : rawName;
    const bytes = Buffer.byteLength(rawName);
    if (bytes > this.limits.maxPathBytes) {
      throw new BundleError(BundleErrorNames.TooLarge, `entry '${shown}' has a ${bytes}-byte name, above maxPathBytes ${this.limits.maxPathBytes}`, { entry: shown });
    }
    const longest = Math.max(...rawName.split(/[\\/]/).map((part) => Buffer.byteLength(part)));
    if (longest > 255) throw new BundleError(BundleErrorNames.TooLarge, `entry '${shown}' has a ${longest}-byte name component, above the 255 bytes filesystems allow`, { entry: shown });
    if (linkTarget !== undefined && Buffer.byteLength(linkTarget) > this.limits.maxLinkTargetBytes) {
      throw new BundleError(BundleErrorNames.TooLarge, `link '${shown}' has a target longer than ${this.limits.maxLinkTargetBytes} bytes (maxLinkTargetBytes)`, { entry: shown });
    }
  }

  /** A symlink's target resolves from the link's directory; resolved by its text alone, it must stay inside the root. */
  private checkSymlink(entry: BundleEntry, rawName: string): void {
    if (resolveLinkTarget(entry.path, entry.linkTarget!) === undefined) {
      throw new BundleError(BundleErrorNames.UnsafePath, `symlink '${entry.path}' points outside the bundle root ('${entry.linkTarget}')`, { entry: rawName });
    }
  }

  /**
   * A hardlink (tar) names an entry from the root. It must name a regular file that came earlier, spelled exactly:
   * a hardlink to a symlink would be a copy of that symlink in another directory, where its text can point
   * elsewhere; one to a missing entry would link to whatever the extraction directory already holds.
   */
  private checkHardlink(entry: BundleEntry, rawName: string): void {
    const target = entry.linkTarget!;
    let resolved: string;
    try {
      resolved = normalizeEntryPath(target).path;
    } catch {
      throw new BundleError(BundleErrorNames.UnsafePath, `hardlink '${entry.path}' points outside the bundle root ('${target}')`, { entry: rawName });
    }
    const node = this.tree.find(resolved);
    if (node?.type === "file" && node.path === resolved) return;
    const what = !node?.type ? "is not an earlier entry of the bundle" : node.path !== resolved ? `is spelled '${node.path}' in the bundle` : `is a ${node.type}`;
    throw new BundleError(BundleErrorNames.UnsafePath, `hardlink '${entry.path}' must name a regular file that comes earlier in the bundle; '${target}' ${what}`, { entry: rawName });
  }

  /**
   * After the last entry: no symlink may point at or through another symlink, whichever comes first in the
   * archive. Each link's text is checked alone when it is read; this closes chains such as `a/b/up -> ../..`
   * followed by `a/b/p -> up/../../etc/passwd`, where every text stays inside the root but the chain does not.
   */
  checkLinkChains(): void {
    for (const { entry, node, rawName } of this.links) {
      if (entry.type !== "symlink") continue;
      const through = this.tree.symlinkOnTheWay(node, entry.linkTarget!);
      if (!through) continue;
      const how = through === node ? "through itself" : `through the symlink '${through.path}'`;
      throw new BundleError(
        BundleErrorNames.UnsafePath,
        `symlink '${entry.path}' ('${entry.linkTarget}') resolves ${how}; links that point at or through other links are refused`,
        { entry: rawName },
      );
    }
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
  async consume(entry: BundleEntry, content: ContentStream): Promise<void> {
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
        entry.size += chunk.length;
        this.expandedBytes += chunk.length;
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
  async readLinkTarget(rawName: string, content: ContentStream): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of content) {
      size += chunk.length;
      if (size > this.limits.maxLinkTargetBytes) {
        content.destroy();
        throw new BundleError(BundleErrorNames.TooLarge, `symlink '${rawName}' has a target longer than ${this.limits.maxLinkTargetBytes} bytes`, { entry: rawName });
      }
      chunks.push(chunk);
    }
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
