import type { FileHandle } from "node:fs/promises";
import { crc32 } from "node:zlib";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import type { DataCheck } from "./entry-checks.js";
import { BundleError, BundleErrorNames } from "./errors.js";

/**
 * A zip describes each entry twice: in its local header (before the data, plus a data descriptor after it when
 * general-purpose bit 3 is set) and in the central directory at the end. Readers disagree on which to trust:
 * yauzl, `unzip` and rubyzip's File read the central directory, streaming readers (and rubyzip's InputStream) the
 * local headers; the CodeDeploy agent extracts with `unzip` and falls back to rubyzip when that fails
 * (aws-codedeploy-agent, command_executor.rb `unpack_bundle`). So we refuse an entry whose two descriptions
 * differ, and check the data against the CRC-32 both of them state (APPNOTE.TXT 4.3.7, 4.3.9, 4.4.4).
 */
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const ZIP64_EXTRA = 0x0001;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const MAX32 = 0xffffffff;

/** What a zip states about one entry, once in its local header and once in its central-directory record. */
export interface ZipEntryFields {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

/**
 * Reads the entry's local header (and data descriptor) and refuses any field that differs from the central
 * directory. Returns where the entry's local record (header, data, descriptor) ends.
 */
export async function checkLocalHeader(zip: ZipFile, file: FileHandle, entry: Entry, name: string): Promise<number> {
  const local = await zip.readLocalFileHeaderPromise(entry);
  const extras = parseExtraFields(local.extraField);
  const localName = yauzl.getFileNameLowLevel(local.generalPurposeBitFlag, local.fileName, extras, true);
  const mismatch = (field: string, localValue: unknown, centralValue: unknown) =>
    new BundleError(
      BundleErrorNames.HeaderMismatch,
      `zip entry '${name}': the local header says ${field} ${String(localValue)}, the central directory ${String(centralValue)}; readers that trust one or the other would extract different files`,
      { entry: name },
    );
  if (localName !== name || !local.fileName.equals(entry.fileNameRaw)) throw mismatch("name", JSON.stringify(localName), JSON.stringify(name));
  const described: ZipEntryFields = { name: localName, method: local.compressionMethod, flags: local.generalPurposeBitFlag, crc32: local.crc32, ...localSizes(local, extras) };
  if (described.method !== entry.compressionMethod) throw mismatch("compression method", described.method, entry.compressionMethod);
  for (const [bit, what] of [
    [FLAG_ENCRYPTED, "encryption flag"],
    [FLAG_UTF8, "UTF-8 flag"],
    [FLAG_DATA_DESCRIPTOR, "data-descriptor flag"],
  ] as const) {
    if ((described.flags & bit) !== (entry.generalPurposeBitFlag & bit)) throw mismatch(what, described.flags & bit ? "set" : "unset", entry.generalPurposeBitFlag & bit ? "set" : "unset");
  }
  const dataEnd = local.fileDataStart + entry.compressedSize;
  if (!(described.flags & FLAG_DATA_DESCRIPTOR)) {
    compareValues(described, entry, mismatch, false);
    return dataEnd;
  }
  // The local fields should be zero; any that are not must still agree. The descriptor after the data is authoritative.
  compareValues(described, entry, mismatch, true);
  // 8-byte sizes when either record carries a Zip64 extra field (APPNOTE 4.3.9.2), or the sizes need them.
  const zip64 = [...extras, ...entry.extraFields].some((x) => x.id === ZIP64_EXTRA) || entry.compressedSize >= MAX32 || entry.uncompressedSize >= MAX32;
  const after = await readDescriptor(file, dataEnd, zip64, name);
  compareValues({ ...described, ...after }, entry, (f, l, c) => mismatch(`(data descriptor) ${f}`, l, c), false);
  return dataEnd + after.length;
}

/**
 * The local records the central directory points at must tile the archive from its first byte to the central
 * directory: no gap (where a local header the directory does not list could hide, which a streaming reader would
 * extract) and no overlap (two entries sharing data, the trick of non-recursive zip bombs).
 */
export class ZipLayout {
  private readonly records: [start: number, end: number, name: string][] = [];

  /** Bytes of the local records added so far: the part of the archive the entries read so far come from. */
  recordBytes = 0;

  add(start: number, end: number, name: string): void {
    this.records.push([start, end, name]);
    this.recordBytes += end - start;
  }

  verify(centralDirectoryOffset: number): void {
    this.records.sort((a, b) => a[0] - b[0]);
    let expected = 0;
    let previous = "the start of the archive";
    for (const [start, end, name] of this.records) {
      if (start !== expected) {
        const why = start > expected ? `bytes ${expected}..${start} between ${previous} and '${name}' belong to no listed entry` : `'${name}' overlaps ${previous}`;
        throw new BundleError(BundleErrorNames.HeaderMismatch, `the zip's central directory does not describe the archive: ${why}`, { entry: name });
      }
      expected = end;
      previous = `'${name}'`;
    }
    if (expected !== centralDirectoryOffset) {
      throw new BundleError(
        BundleErrorNames.HeaderMismatch,
        `the zip's central directory does not describe the archive: bytes ${expected}..${centralDirectoryOffset} after ${previous} belong to no listed entry`,
      );
    }
  }
}

function compareValues(local: ZipEntryFields, entry: Entry, mismatch: (field: string, l: unknown, c: unknown) => BundleError, zeroAllowed: boolean): void {
  const pairs: [string, number, number][] = [
    ["CRC-32", local.crc32, entry.crc32],
    ["compressed size", local.compressedSize, entry.compressedSize],
    ["uncompressed size", local.uncompressedSize, entry.uncompressedSize],
  ];
  for (const [field, l, c] of pairs) {
    if (zeroAllowed && l === 0) continue;
    if (l !== c) throw mismatch(field, l, c);
  }
}

type ExtraFields = { id: number; data: Buffer }[];

function parseExtraFields(raw: Buffer): ExtraFields {
  const list: ExtraFields = [];
  for (let at = 0; at + 4 <= raw.length; ) {
    const size = raw.readUInt16LE(at + 2);
    list.push({ id: raw.readUInt16LE(at), data: raw.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return list;
}

/** The local sizes, taking a Zip64 extra field into account (it holds both sizes in a local header, APPNOTE 4.5.3). */
function localSizes(local: { compressedSize: number; uncompressedSize: number }, extras: ExtraFields): { compressedSize: number; uncompressedSize: number } {
  const zip64 = extras.find((x) => x.id === ZIP64_EXTRA)?.data;
  if (!zip64 || (local.compressedSize !== MAX32 && local.uncompressedSize !== MAX32)) return { compressedSize: local.compressedSize, uncompressedSize: local.uncompressedSize };
  const read = (at: number) => (zip64.length >= at + 8 ? Number(zip64.readBigUInt64LE(at)) : Number.NaN);
  return { uncompressedSize: local.uncompressedSize === MAX32 ? read(0) : local.uncompressedSize, compressedSize: local.compressedSize === MAX32 ? read(8) : local.compressedSize };
}

/** The data descriptor after an entry's data: an optional signature, CRC-32, then both sizes (8 bytes each in Zip64). */
async function readDescriptor(file: FileHandle, at: number, zip64: boolean, name: string): Promise<{ crc32: number; compressedSize: number; uncompressedSize: number; length: number }> {
  const buf = Buffer.alloc(24);
  const { bytesRead } = await file.read(buf, 0, buf.length, at);
  const start = bytesRead >= 4 && buf.readUInt32LE(0) === DESCRIPTOR_SIGNATURE ? 4 : 0;
  const need = start + (zip64 ? 20 : 12);
  if (bytesRead < need) throw new BundleError(BundleErrorNames.Corrupt, `zip entry '${name}': the data descriptor after its data is missing or cut short`, { entry: name });
  const size = (offset: number) => (zip64 ? Number(buf.readBigUInt64LE(offset)) : buf.readUInt32LE(offset));
  return { crc32: buf.readUInt32LE(start), compressedSize: size(start + 4), uncompressedSize: size(start + (zip64 ? 12 : 8)), length: need };
}

/**
 * The CRC-32 of an entry's data, computed as it streams through EntryChecks.consume, compared at the end with
 * what both headers state. (A wrapping stream or async generator per entry cost the 100 MB benchmark bundle 8 to
 * 15 MB of peak RSS; a hook in the one loop that already sees every chunk costs nothing.)
 */
export class Crc32Check implements DataCheck {
  private crc = 0;

  constructor(
    private readonly expected: number,
    private readonly name: string,
  ) {}

  update(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc);
  }

  finish(): void {
    if (this.crc >>> 0 === this.expected >>> 0) return;
    throw new BundleError(BundleErrorNames.Corrupt, `zip entry '${this.name}': its data has CRC-32 ${hex(this.crc)}, its headers say ${hex(this.expected)}`, { entry: this.name });
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
}
