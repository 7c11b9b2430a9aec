import yauzl from "yauzl";
import yazl from "yazl";
import { normalizeEntryPath } from "../domain/bundles/paths.js";

/**
 * Small artifacts in memory, as CodePipeline keeps them: zips made with a fixed timestamp (the same
 * files give the same bytes, so a retried action writes the same object) and zips read back with
 * every entry path checked (no absolute paths, no `..`: an extracted artifact stays under its prefix).
 */
const MTIME = new Date("2020-01-01T00:00:00Z");

export interface FileEntry {
  name: string;
  content: Uint8Array;
}

export async function zipFiles(files: FileEntry[]): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.content), f.name, { mtime: MTIME, mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The files of a zip (directories skipped); an unsafe entry path throws `Bundle.UnsafePath`. */
export async function unzipFiles(zip: Uint8Array): Promise<FileEntry[]> {
  const file = await yauzl.fromBufferPromise(Buffer.from(zip), { lazyEntries: true, validateEntrySizes: true });
  const out: FileEntry[] = [];
  for (;;) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      file.once("entry", resolve);
      file.once("end", () => resolve(undefined));
      file.once("error", reject);
      file.readEntry();
    });
    if (!entry) break;
    const { path, isDir } = normalizeEntryPath(entry.fileName);
    if (isDir || path === "") continue;
    const stream = await file.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    out.push({ name: path, content: Buffer.concat(chunks) });
  }
  file.close();
  return out;
}
