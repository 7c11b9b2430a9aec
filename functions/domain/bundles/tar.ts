import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { ByteCap } from "./byte-cap.js";
import { BundleError, BundleErrorNames } from "./errors.js";
import type { BundleLimits } from "./limits.js";
import type { ContentStream, EntryChecks } from "./entry-checks.js";
import type { EntryType } from "./types.js";

/** Slack for tar headers, padding and pax/long-name records on top of the content bytes (docs/appspec.md). */
const TAR_OVERHEAD_PER_ENTRY = 1536;
const TAR_OVERHEAD_FIXED = 10 * 1024 * 1024;

/**
 * Streams a tar (or gzip-compressed tar) straight from `input`: gunzip → byte counter → tar-stream extract, one
 * entry at a time. Nothing is spooled. The counter bounds the decompressed tar stream itself (so runs of zero
 * blocks or trailing garbage in a gzip bomb stop too); the entry checks bound the entries' content.
 */
export async function walkTar(input: Readable, gzip: boolean, checks: EntryChecks, limits: BundleLimits): Promise<void> {
  const streamCap = limits.maxExpandedBytes + limits.maxEntries * TAR_OVERHEAD_PER_ENTRY + TAR_OVERHEAD_FIXED;
  const counter = new ByteCap(
    streamCap,
    (cap) => `the decompressed tar stream exceeds ${cap} bytes (maxExpandedBytes plus header allowance)`,
    (bytes) => checks.checkExpansion(bytes),
  );
  const extract = tar.extract();
  // tar-stream's streams are streamx streams; Node's pipeline drives them through their pipe/destroy API.
  const sink = extract as unknown as NodeJS.WritableStream;
  const piped = (gzip ? pipeline(input, createGunzip(), counter, sink) : pipeline(input, counter, sink)).then(
    () => undefined,
    (e: unknown) => e,
  );
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const type = entryType(h.type, h.name);
      if (type === "symlink" || type === "hardlink") {
        checks.register(h.name, type, 0, h.linkname ?? "");
        entry.resume();
        continue;
      }
      const registered = checks.register(h.name, type, h.size ?? 0);
      if (!registered || type === "directory") {
        entry.resume();
        continue;
      }
      await checks.consume(registered, entry as unknown as ContentStream);
    }
  } catch (e) {
    input.destroy();
    counter.destroy();
    extract.destroy();
    const streamError = await piped;
    throw classify(streamError instanceof BundleError ? streamError : e, gzip);
  }
  const streamError = await piped;
  if (streamError) throw classify(streamError, gzip);
}

function entryType(type: tar.Header["type"] | null | undefined, name: string): EntryType {
  switch (type) {
    case "file":
    case "contiguous-file":
    case null:
    case undefined:
      return "file";
    case "directory":
      return "directory";
    case "symlink":
      return "symlink";
    case "link":
      return "hardlink";
    default:
      throw new BundleError(BundleErrorNames.UnsupportedEntry, `entry '${name}' is a ${type}; bundles may hold files, directories and links only`, { entry: name });
  }
}

function classify(e: unknown, gzip: boolean): BundleError {
  if (e instanceof BundleError) return e;
  const message = (e as Error)?.message ?? String(e);
  const code = (e as NodeJS.ErrnoException)?.code ?? "";
  if (code.startsWith("Z_")) return new BundleError(BundleErrorNames.Corrupt, `the object is not valid gzip data (bundleType tgz): ${message}`, { cause: e });
  return new BundleError(BundleErrorNames.Corrupt, `the object is not a readable ${gzip ? "tgz" : "tar"} archive: ${message}`, { cause: e });
}
