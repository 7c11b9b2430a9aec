import { crc32, deflateRawSync } from "node:zlib";
import type { ZipEntryFields as ZipFields } from "../../../functions/domain/bundles/zip-headers.js";

/**
 * One entry of a hand-written zip. By default both descriptions agree with the data; `local` and `central`
 * override single fields of one of them (the lies hostile archives tell).
 */
export interface RawZipEntry {
  name: string;
  data?: Buffer | string;
  deflate?: boolean;
  /** Unix mode (e.g. 0o120777 for a symlink) stored in the central directory's external attributes. */
  mode?: number;
  /** General-purpose bit 3: sizes and CRC follow the data in a data descriptor (zeros in the local header). */
  descriptor?: boolean;
  local?: Partial<ZipFields>;
  /** The descriptor's values, when `descriptor` is set. */
  after?: Partial<Pick<ZipFields, "crc32" | "compressedSize" | "uncompressedSize">>;
  central?: Partial<ZipFields> & { offset?: number };
  /** false: the local record is not written (its central record points wherever `central.offset` says). */
  writeLocal?: boolean;
  /** false: the central directory does not list it (its local record is still written). */
  listed?: boolean;
}

function truth(e: RawZipEntry): { fields: ZipFields; body: Buffer } {
  const plain = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? "");
  const body = e.deflate ? deflateRawSync(plain) : plain;
  const flags = 0x800 | (e.descriptor ? 0x8 : 0);
  return { fields: { name: e.name, method: e.deflate ? 8 : 0, flags, crc32: crc32(plain), compressedSize: body.length, uncompressedSize: plain.length }, body };
}

/**
 * Writes the header fields both records share, from `at` (6 in a local header, 8 in a central record): flags,
 * method, time and date (left zero), CRC-32, both sizes, the name's length.
 */
function writeShared(buf: Buffer, at: number, f: ZipFields, nameLength: number): void {
  buf.writeUInt16LE(f.flags, at);
  buf.writeUInt16LE(f.method, at + 2);
  buf.writeUInt32LE(f.crc32 >>> 0, at + 8);
  buf.writeUInt32LE(f.compressedSize, at + 12);
  buf.writeUInt32LE(f.uncompressedSize, at + 16);
  buf.writeUInt16LE(nameLength, at + 20);
}

/** The local record of an entry: header, name, data, and the data descriptor when there is one. */
export function localRecord(e: RawZipEntry): Buffer {
  const { fields, body } = truth(e);
  const f = { ...fields, ...(e.descriptor ? { crc32: 0, compressedSize: 0, uncompressedSize: 0 } : {}), ...e.local };
  const name = Buffer.from(f.name);
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  head.writeUInt16LE(20, 4);
  writeShared(head, 6, f, name.length);
  const parts = [head, name, body];
  if (e.descriptor) {
    const d = { crc32: fields.crc32, compressedSize: fields.compressedSize, uncompressedSize: fields.uncompressedSize, ...e.after };
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(d.crc32 >>> 0, 4);
    desc.writeUInt32LE(d.compressedSize, 8);
    desc.writeUInt32LE(d.uncompressedSize, 12);
    parts.push(desc);
  }
  return Buffer.concat(parts);
}

function centralRecord(e: RawZipEntry, offset: number): Buffer {
  const f = { ...truth(e).fields, ...e.central };
  const name = Buffer.from(f.name);
  const rec = Buffer.alloc(46);
  rec.writeUInt32LE(0x02014b50, 0);
  rec.writeUInt16LE(0x031e, 4); // made by Unix, spec 3.0: the external attributes carry a Unix mode
  rec.writeUInt16LE(20, 6);
  writeShared(rec, 8, f, name.length);
  rec.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
  rec.writeUInt32LE(e.central?.offset ?? offset, 42);
  return Buffer.concat([rec, name]);
}

/** A zip written field by field, so that its local headers and central directory can be made to disagree. */
export function rawZip(entries: RawZipEntry[], options: { declaredEntries?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const record = e.writeLocal === false ? Buffer.alloc(0) : localRecord(e);
    if (e.listed !== false) centrals.push(centralRecord(e, offset));
    locals.push(record);
    offset += record.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.declaredEntries ?? centrals.length, 8);
  end.writeUInt16LE(options.declaredEntries ?? centrals.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
