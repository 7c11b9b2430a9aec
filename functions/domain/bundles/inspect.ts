import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ByteCap } from "./byte-cap.js";
import { BundleError, BundleErrorNames } from "./errors.js";
import { appSpecTooLarge, type BundleLimits, resolveLimits } from "./limits.js";
import { EntryChecks } from "./entry-checks.js";
import { walkTar } from "./tar.js";
import { BUNDLE_TYPES, type BundleInspection, type BundleSource, type BundleType, type InspectOptions } from "./types.js";
import { walkZip } from "./zip.js";

export function isBundleType(value: unknown): value is BundleType {
  return typeof value === "string" && (BUNDLE_TYPES as readonly string[]).includes(value);
}

/**
 * Streams through a revision bundle once, validating every entry (docs/appspec.md "Bundle safety"), and returns
 * the appspec text, the entry listing and any entries the caller asked for. `source` is a stream (e.g. an S3
 * body) or a file on disk. zip is spooled to a temp file first when given as a stream (its central directory
 * is at the end); tar/tgz are read straight from the stream. Memory use does not grow with the bundle.
 */
export async function inspectBundle(source: BundleSource, bundleType: string, options: InspectOptions = {}): Promise<BundleInspection> {
  if (!isBundleType(bundleType)) {
    destroy(source);
    throw new BundleError(BundleErrorNames.InvalidBundleType, `bundleType must be one of ${BUNDLE_TYPES.join(", ")} (case-sensitive, as in CodeDeploy's S3Location), got '${bundleType}'`);
  }
  const limits = resolveLimits(options.limits);
  const checks = new EntryChecks(limits, options);
  const archive = new ByteCap(limits.maxArchiveBytes, (cap) => `the archive is larger than maxArchiveBytes ${cap}`);
  checks.archiveBytes = () => archive.bytes;
  const base = { bundleType, entries: checks.entries, extracted: checks.extracted };

  if (bundleType === "YAML" || bundleType === "JSON") {
    // The object is the appspec: the one AppSpec cap applies, checked before reading when the size is known.
    const max = Math.min(limits.maxAppSpecBytes, limits.maxArchiveBytes);
    if (!("pipe" in source)) {
      const { size } = await stat(source.path);
      if (size > max) throw appSpecTooLarge(`the ${bundleType} revision is ${size} bytes`, max);
    }
    const cap = new ByteCap(max, () => appSpecTooLarge(`the ${bundleType} revision is larger`, max));
    const chunks: Buffer[] = [];
    await pipeline(readable(source), cap, async (body: AsyncIterable<Buffer>) => {
      for await (const chunk of body) chunks.push(chunk);
    });
    const text = Buffer.concat(chunks).toString("utf8");
    return { ...base, archiveBytes: cap.bytes, expandedBytes: cap.bytes, appSpec: { path: "(object)", text }, appSpecCandidates: ["(object)"] };
  }

  if (bundleType === "zip") {
    await withZipFile(source, archive, limits, options.tempDir, (file) => walkZip(file, checks, limits));
  } else {
    const input = readable(source);
    input.once("error", (e) => archive.destroy(e));
    try {
      await sniffed(walkTar(input.pipe(archive), bundleType === "tgz", checks, limits), bundleType, async () => archive.head);
    } catch (e) {
      input.destroy();
      throw e;
    }
  }
  checks.checkLinkChains();
  const appSpec = checks.requireAppSpec();
  return { ...base, archiveBytes: archive.bytes, expandedBytes: checks.expandedBytes, appSpec, appSpecCandidates: checks.appSpecCandidates };
}

async function withZipFile(source: BundleSource, counter: ByteCap, limits: BundleLimits, tempDir: string | undefined, use: (file: string) => Promise<void>): Promise<void> {
  if (!("pipe" in source)) {
    const { size } = await stat(source.path);
    if (size > limits.maxArchiveBytes) throw new BundleError(BundleErrorNames.TooLarge, `the archive is ${size} bytes, above maxArchiveBytes ${limits.maxArchiveBytes}`);
    counter.bytes = size;
    await sniffed(use(source.path), "zip", () => readHead(source.path));
    return;
  }
  const dir = await mkdtemp(join(tempDir ?? tmpdir(), "stepdeploy-bundle-"));
  const file = join(dir, "bundle.zip");
  try {
    await pipeline(source, counter, createWriteStream(file));
    await sniffed(use(file), "zip", async () => counter.head);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** On Bundle.Corrupt, says what the bytes look like when that differs from the declared bundleType. */
async function sniffed(work: Promise<void>, declared: BundleType, head: () => Promise<Buffer>): Promise<void> {
  try {
    await work;
  } catch (e) {
    if (!(e instanceof BundleError) || e.name !== BundleErrorNames.Corrupt) throw e;
    const looks = sniff(await head());
    if (looks && looks !== declared) throw new BundleError(BundleErrorNames.Corrupt, `${e.message} (bundleType is ${declared}, but the bytes look like ${looks})`, { cause: e });
    throw e;
  }
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** What the first bytes of an object look like: zip, tgz (gzip), tar (ustar magic), or YAML/JSON text. */
export function sniff(head: Buffer): string | undefined {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return "zip";
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return "zip";
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "tgz";
  if (head.length >= 262 && head.subarray(257, 262).toString("latin1") === "ustar") return "tar";
  const text = head.toString("utf8").trimStart();
  if (text.startsWith("{") || text.startsWith("[")) return "JSON";
  if (/^(---|version\s*:|#)/.test(text)) return "YAML";
  return undefined;
}

function readable(source: BundleSource): Readable {
  return "pipe" in source ? source : createReadStream(source.path);
}

function destroy(source: BundleSource): void {
  if ("pipe" in source) source.destroy();
}
