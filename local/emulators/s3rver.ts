import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";

/** The slice of s3rver's API used here (the package ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  resetOnClose?: boolean;
  configureBuckets?: { name: string }[];
}) => S3rverInstance;

/** Loaded on first use, so importing this module costs nothing in processes that never start a server. */
const loadS3rver = () => createRequire(import.meta.url)("s3rver") as S3rverCtor;

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /**
   * An object's bytes read synchronously from s3rver's directory (its filesystem layout:
   * `<bucket>/<key>._S3rver_object`, POSIX keys as they are), for simulated services whose answers are
   * synchronous (CloudFormation reading a TemplateURL); undefined when there is no such object.
   */
  readObjectSync(bucket: string, key: string): Uint8Array | undefined;
  close(): Promise<void>;
}

/**
 * s3rver on 127.0.0.1, an ephemeral port and a fresh temp directory: the real S3 wire protocol, no versioning,
 * no If-Match. `buckets` are created up front. `close()` stops the server and deletes the directory.
 */
export async function startS3rver(buckets: string[] = []): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), "stepdeploy-s3rver-"));
  keepTidy(directory);
  const S3rver = loadS3rver();
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (e) {
    await rm(directory, { recursive: true, force: true });
    forget(directory);
    throw e;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    // s3rver does not understand aws-chunked uploads: with the SDK's default (a trailing CRC32 on streamed
    // bodies) it would store the chunk framing as part of the object.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    client,
    readObjectSync(bucket, key) {
      const parts = key.split("/");
      const file = join(directory, bucket, ...parts.slice(0, -1), `${parts.at(-1)}._S3rver_object`);
      return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
      forget(directory);
    },
  };
}

/**
 * The directories of the s3rver instances still running. If the process ends before their
 * `close()` (an interrupted `simulate`, Ctrl-C), they are removed on the way out: at exit, or on
 * SIGINT/SIGTERM, after which the signal ends the process as it would have (status 128 + n) unless
 * someone else handles it. With no directory left, no listener stays installed.
 */
const live = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function removeLive(): void {
  for (const d of live) rmSync(d, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  unwatch();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function keepTidy(directory: string): void {
  if (live.size === 0) {
    process.on("exit", removeLive);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  live.add(directory);
}

function forget(directory: string): void {
  live.delete(directory);
  if (live.size === 0) unwatch();
}

function unwatch(): void {
  process.off("exit", removeLive);
  for (const s of SIGNALS) process.off(s, onSignal);
}
