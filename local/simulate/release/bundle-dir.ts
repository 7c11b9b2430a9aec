import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import yazl from "yazl";

/**
 * Builds a revision bundle from a directory, deterministically (fixed timestamps), so that the same
 * directory always gives the same bytes, ETag and CodeSha256. A sub-directory whose name ends in
 * `.zip` (e.g. `function.zip/`) becomes a zip file of that name: the function's code package.
 * Layout and examples: events/bundles/README.md.
 */
const MTIME = new Date("2026-01-01T00:00:00Z");

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory() && !name.endsWith(".zip")) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

async function zipFiles(files: { name: string; content: Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(f.content, f.name, { mtime: MTIME, mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The entries of the bundle: plain files as they are, `*.zip/` directories zipped. */
export async function bundleEntries(dir: string): Promise<{ name: string; content: Buffer }[]> {
  const out: { name: string; content: Buffer }[] = [];
  for (const p of filesUnder(dir)) {
    const name = relative(dir, p).split("\\").join("/");
    if (statSync(p).isDirectory()) {
      out.push({ name, content: await zipFiles(filesUnder(p).map((f) => ({ name: relative(p, f).split("\\").join("/"), content: readFileSync(f) }))) });
    } else {
      out.push({ name, content: readFileSync(p) });
    }
  }
  return out;
}

async function tarFiles(files: { name: string; content: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  })();
  for (const f of files) pack.entry({ name: f.name, mtime: MTIME, mode: 0o644 }, f.content);
  pack.finalize();
  return done;
}

/** zip, tar or tgz of the directory; YAML/JSON bundles are the appspec file alone. */
export async function buildBundle(dir: string, bundleType: string): Promise<Buffer> {
  const entries = await bundleEntries(dir);
  if (bundleType === "zip") return zipFiles(entries);
  if (bundleType === "tar") return tarFiles(entries);
  if (bundleType === "tgz") return gzipSync(await tarFiles(entries));
  const appspec = entries.find((e) => /^appspec\.(ya?ml|json)$/.test(e.name));
  if (!appspec) throw new Error(`${dir} has no appspec.yml/appspec.yaml/appspec.json`);
  return appspec.content;
}
