import { type FileHandle, open as openFile } from "node:fs/promises";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { BundleError, BundleErrorNames } from "./errors.js";
import type { BundleLimits } from "./limits.js";
import type { ContentStream, EntryChecks } from "./entry-checks.js";
import type { EntryType } from "./types.js";
import { Crc32Check, checkLocalHeader, ZipLayout } from "./zip-headers.js";

// Unix file type bits in the high 16 bits of externalFileAttributes (zip "version made by" = Unix).
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/**
 * Walks a zip on disk with yauzl (lazyEntries: one entry at a time, read from the central directory), sending each
 * entry through the entry checks. Names are decoded here (decodeStrings: false) so unsafe names reach our own checks
 * and named errors instead of yauzl's generic ones; yauzl still verifies sizes and CRC-free structure
 * (validateEntrySizes: an entry that inflates past its declared size is an error, not trusted).
 */
export async function walkZip(file: string, checks: EntryChecks, limits: BundleLimits): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (e) {
    throw corrupt(e, "the object is not a readable zip archive");
  }
  // yauzl keeps where the central directory starts as its read cursor before the first entry is read.
  const centralDirectoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
  const layout = new ZipLayout();
  // The expansion ratio is measured against the records read so far, not the whole archive (docs/appspec.md).
  checks.archiveBytes = () => layout.recordBytes;
  const handle = await openFile(file, "r");
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new BundleError(BundleErrorNames.TooLarge, `the zip declares ${zip.entryCount} entries, above maxEntries ${limits.maxEntries}`);
    }
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      zip.on("error", (e: unknown) => fail(corrupt(e, "the zip archive is damaged")));
      zip.on("end", () => {
        if (failed) return;
        try {
          layout.verify(centralDirectoryOffset);
          resolve();
        } catch (e) {
          fail(e);
        }
      });
      zip.on("entry", (entry: Entry) => {
        handleEntry({ zip, handle, layout }, entry, checks).then(
          () => {
            if (!failed) zip.readEntry();
          },
          (e: unknown) => fail(corrupt(e, "cannot read the zip archive")),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
    await handle.close();
  }
}

interface Archive {
  zip: ZipFile;
  handle: FileHandle;
  layout: ZipLayout;
}

async function handleEntry({ zip, handle, layout }: Archive, entry: Entry, checks: EntryChecks): Promise<void> {
  // strictFileNames=true keeps backslashes as written; normalizeEntryPath treats them as separators.
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  layout.add(entry.relativeOffsetOfLocalHeader, await checkLocalHeader(zip, handle, entry, name), name);
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  let type: EntryType;
  if (mode === S_IFLNK) type = "symlink";
  else if (mode === S_IFDIR || name.endsWith("/") || name.endsWith("\\")) type = "directory";
  else if (mode === 0 || mode === S_IFREG) type = "file";
  else throw new BundleError(BundleErrorNames.UnsupportedEntry, `entry '${name}' is a special file (mode ${mode.toString(8)}); bundles may hold files, directories and links only`, { entry: name });
  if (entry.isEncrypted()) throw new BundleError(BundleErrorNames.UnsupportedEntry, `entry '${name}' is encrypted`, { entry: name });
  if (type === "symlink") {
    const target = await checks.readLinkTarget(name, await open(zip, entry, name), new Crc32Check(entry.crc32, name));
    checks.register(name, "symlink", entry.uncompressedSize, target);
    return;
  }
  const registered = checks.register(name, type, entry.uncompressedSize);
  // yauzl stops an entry at its declared size, so the declared sizes bound its ratio before anything is inflated.
  checks.checkExpansion(entry.uncompressedSize, entry.compressedSize, name);
  if (!registered || type === "directory") return;
  await checks.consume(registered, await open(zip, entry, name), new Crc32Check(entry.crc32, name));
}

/** The entry's data, inflated, and stopped by yauzl if it inflates past its declared size. */
async function open(zip: ZipFile, entry: Entry, name: string): Promise<ContentStream> {
  try {
    return await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw corrupt(e, `cannot read entry '${name}'`);
  }
}

function corrupt(e: unknown, what: string): BundleError {
  if (e instanceof BundleError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (/too many bytes in the stream|expected \d+\. got/.test(message)) {
    return new BundleError(BundleErrorNames.TooLarge, `an entry inflates past the size its header declares (${message}); headers are not trusted`, { cause: e });
  }
  return new BundleError(BundleErrorNames.Corrupt, `${what}: ${message}`, { cause: e });
}
