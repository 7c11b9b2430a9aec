/**
 * Bundle benchmark: builds a ~100 MB revision (zip and tgz; mostly random, incompressible bytes so the archive
 * really is ~100 MB), uploads it to s3rver, then fetches it through functions/adapters/s3.ts (pinned by ETag)
 * and inspects/validates it with inspectBundle + parseAppSpec, in a fresh Node process with default settings.
 * Reports that process's peak RSS (sampled every 5 ms, and the kernel's maxRSS) and the wall time.
 *
 *   npx tsx bench/bundle.ts          prints a table, writes bench/results/bundle.json
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createGzip } from "node:zlib";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import tar from "tar-stream";
import yazl from "yazl";
import { inspectRevision } from "../functions/adapters/s3.js";
import { parseAppSpec } from "../functions/domain/appspec/index.js";
import { startS3rver } from "../test/support/s3rver.js";
import { bundleForNode, watchPeakRss } from "./child.js";

export interface BundleBenchResult {
  format: "zip" | "tgz";
  /** How the measured process ran: this file bundled by esbuild on plain node (as a Lambda runs), or through tsx. */
  runner: "node (esbuild bundle)" | "tsx";
  /** Bytes of the archive as stored in S3. */
  sizeBytes: number;
  /** Highest RSS sampled every 5 ms while fetching and validating. */
  peakRssMb: number;
  wallMs: number;
  /** The kernel's maximum RSS over the whole child process (startup included). */
  maxRssMb: number;
  /** RSS after imports, before the first byte was fetched. */
  baselineRssMb: number;
  entries: number;
  expandedBytes: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const MiB = 1024 * 1024;
/** BENCH_RANDOM_FILES scales the bundle (8 MiB of random bytes each) to show memory does not grow with it. */
const RANDOM_FILES = Number(process.env.BENCH_RANDOM_FILES ?? 12);
const RANDOM_FILE_BYTES = 8 * MiB;
const SMALL_FILES = 2000;
const ZERO_BYTES = 16 * MiB;
const APPSPEC = "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /opt/bench\nhooks:\n  AfterInstall:\n    - location: scripts/after.sh\n      timeout: 300\n";
const HERE = fileURLToPath(import.meta.url);

interface Content {
  name: string;
  size: number;
  /** A fresh stream of the entry's bytes, generated on the fly (nothing is held in memory). */
  open: () => Readable;
}

function randomStream(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 64 * 1024);
      left -= n;
      this.push(randomBytes(n));
    },
  });
}

function zeroStream(size: number): Readable {
  const chunk = Buffer.alloc(64 * 1024);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

function contents(): Content[] {
  const text = (s: string): Content => ({ name: "", size: Buffer.byteLength(s), open: () => Readable.from([Buffer.from(s)]) });
  const list: Content[] = [
    { ...text(APPSPEC), name: "appspec.yml" },
    { ...text("#!/bin/sh\necho installed\n"), name: "scripts/after.sh" },
  ];
  for (let i = 0; i < RANDOM_FILES; i++) list.push({ name: `assets/blob-${i}.bin`, size: RANDOM_FILE_BYTES, open: () => randomStream(RANDOM_FILE_BYTES) });
  for (let i = 0; i < SMALL_FILES; i++) list.push({ ...text(`module ${i}\n${"x".repeat(900)}\n`), name: `lib/m${Math.floor(i / 100)}/f${i}.txt` });
  list.push({ name: "data/zeros.bin", size: ZERO_BYTES, open: () => zeroStream(ZERO_BYTES) });
  return list;
}

async function buildZip(file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  for (const c of contents()) zip.addReadStream(c.open(), c.name, { size: c.size });
  zip.end();
  await written;
}

async function buildTgz(file: string): Promise<void> {
  const pack = tar.pack();
  const written = pipeline(pack as unknown as NodeJS.ReadableStream, createGzip({ level: 6 }), createWriteStream(file));
  for (const c of contents()) {
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry({ name: c.name, size: c.size }, (err) => (err ? reject(err) : resolve()));
      c.open().pipe(sink as unknown as NodeJS.WritableStream);
    });
  }
  pack.finalize();
  await written;
}

/** The measured part, in its own process: fetch (pinned) + inspect + validate. */
async function child(format: "zip" | "tgz", endpoint: string, bucket: string, key: string, eTag: string): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const rss = watchPeakRss();
  const started = performance.now();
  const digest = createHash("sha256");
  const inspection = await inspectRevision(
    { bucket, key, bundleType: format, eTag },
    {
      client,
      extract: ["assets/blob-0.bin"],
      onEntry: async (_entry, content) => {
        for await (const chunk of content as AsyncIterable<Buffer>) digest.update(chunk);
      },
    },
  );
  const spec = parseAppSpec(inspection.appSpec.text);
  const wallMs = performance.now() - started;
  const peak = rss.stop();
  if (!spec.valid) throw new Error(`appspec invalid: ${JSON.stringify(spec.errors)}`);
  client.destroy();
  process.stdout.write(
    `${JSON.stringify({
      peakRssMb: round(peak / MiB),
      wallMs: Math.round(wallMs),
      maxRssMb: round(process.resourceUsage().maxRSS / 1024),
      baselineRssMb: round(rss.baseline / MiB),
      entries: inspection.entries.length,
      expandedBytes: inspection.expandedBytes,
    })}\n`,
  );
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export async function benchBundle(): Promise<BundleBenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "stepdeploy-bench-"));
  const s3 = await startS3rver(["bench"]);
  const results: BundleBenchResult[] = [];
  try {
    // The measured code as a deployment would ship it: one esbuild bundle (SDK included), run by plain node.
    const bundled = join(dir, "child.mjs");
    await bundleForNode(HERE, bundled, ["s3rver"]);
    // BENCH_NODE_FLAGS (e.g. "--max-semi-space-size=1") is for experiments; the reported numbers use none.
    const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    const runners: [BundleBenchResult["runner"], string[]][] = [
      ["node (esbuild bundle)", [...flags, bundled]],
      ["tsx", [...flags, "--import", "tsx", HERE]],
    ];
    for (const format of ["zip", "tgz"] as const) {
      const file = join(dir, `bundle.${format}`);
      await (format === "zip" ? buildZip(file) : buildTgz(file));
      const { size } = await stat(file);
      const put = await s3.client.send(new PutObjectCommand({ Bucket: "bench", Key: `bundle.${format}`, Body: createReadStream(file), ContentLength: size }));
      await rm(file);
      for (const [runner, args] of runners) {
        const { stdout } = await promisify(execFile)(process.execPath, [...args, "--child", format, s3.endpoint, "bench", `bundle.${format}`, put.ETag ?? ""], {
          cwd: fileURLToPath(new URL("..", import.meta.url)),
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
          maxBuffer: MiB,
        });
        const measured = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Omit<BundleBenchResult, "format" | "runner" | "sizeBytes">;
        results.push({ format, runner, sizeBytes: size, ...measured });
      }
    }
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

function table(results: BundleBenchResult[]): string {
  const rows = [
    ["format", "runner", "size MB", "expanded MB", "entries", "wall ms", "peak RSS MB", "maxRSS MB", "baseline MB"],
    ...results.map((r) => [r.format, r.runner, (r.sizeBytes / MiB).toFixed(1), (r.expandedBytes / MiB).toFixed(1), String(r.entries), String(r.wallMs), r.peakRssMb.toFixed(1), r.maxRssMb.toFixed(1), r.baselineRssMb.toFixed(1)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padStart(widths[i]!)).join("  ")).join("\n");
}

const isMain = process.argv[1] !== undefined && (import.meta.url === pathToFileURL(process.argv[1]).href || process.argv[2] === "--child");
if (isMain && process.argv[2] === "--child") {
  const [format, endpoint, bucket, key, eTag] = process.argv.slice(3) as ["zip" | "tgz", string, string, string, string];
  await child(format, endpoint, bucket, key, eTag);
} else if (isMain) {
  const results = await benchBundle();
  console.log(table(results));
  const budget = 128;
  for (const r of results) console.log(`${r.format} / ${r.runner}: peak RSS ${r.peakRssMb} MB ${r.peakRssMb < budget ? "<" : ">="} ${budget} MB budget`);
  const out = fileURLToPath(new URL("./results/bundle.json", import.meta.url));
  await mkdir(join(out, ".."), { recursive: true });
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  await writeFile(out, `${JSON.stringify({ node: process.version, nodeFlags, at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
