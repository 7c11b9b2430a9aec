import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import yazl from "yazl";

/** One entry of a test bundle. `content` defaults to empty; `symlink` makes a link to that target. */
export interface TestEntry {
  name: string;
  content?: string | Buffer;
  dir?: boolean;
  symlink?: string;
  hardlink?: string;
  /** tar only: a raw header type such as "fifo". */
  tarType?: "fifo" | "character-device" | "block-device";
}

export const APPSPEC = "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /var/www/app\nhooks:\n  AfterInstall:\n    - location: scripts/after.sh\n      timeout: 60\n";

/** A zip built with yazl. yazl refuses unsafe names, so callers patch names afterwards with `renameInZip`. */
export async function zipOf(entries: TestEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.dir) zip.addEmptyDirectory(e.name);
    else if (e.symlink !== undefined) zip.addBuffer(Buffer.from(e.symlink), e.name, { mode: 0o120777, compress: false });
    else zip.addBuffer(Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content ?? ""), e.name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Replaces a file name in both the local headers and the central directory (same length only). */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error("renameInZip needs names of equal length");
  const out = Buffer.from(zip);
  const needle = Buffer.from(from);
  let at = out.indexOf(needle);
  let count = 0;
  while (at >= 0) {
    Buffer.from(to).copy(out, at);
    count++;
    at = out.indexOf(needle, at + 1);
  }
  if (count === 0) throw new Error(`${from} not found in zip`);
  return out;
}

/**
 * Rewrites every entry's uncompressed size, in its local header and its central-directory record alike: headers
 * that agree with each other and lie about the data.
 */
export function lieAboutSizes(zip: Buffer, uncompressedSize: number): Buffer {
  const out = Buffer.from(zip);
  for (const [signature, field] of [
    [[0x50, 0x4b, 0x03, 0x04], 22],
    [[0x50, 0x4b, 0x01, 0x02], 24],
  ] as const) {
    for (let at = out.indexOf(Buffer.from(signature)); at >= 0; at = out.indexOf(Buffer.from(signature), at + 4)) out.writeUInt32LE(uncompressedSize, at + field);
  }
  return out;
}

/** A tar built with tar-stream (which writes any name it is given, unsafe ones included). */
export async function tarOf(entries: TestEntry[], gzip = false): Promise<Buffer> {
  const pack = tar.pack();
  const done = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  })();
  for (const e of entries) {
    if (e.dir) pack.entry({ name: e.name, type: "directory" });
    else if (e.symlink !== undefined) pack.entry({ name: e.name, type: "symlink", linkname: e.symlink });
    else if (e.hardlink !== undefined) pack.entry({ name: e.name, type: "link", linkname: e.hardlink });
    else if (e.tarType) pack.entry({ name: e.name, type: e.tarType });
    else pack.entry({ name: e.name }, Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content ?? ""));
  }
  pack.finalize();
  const buf = await done;
  return gzip ? gzipSync(buf) : buf;
}
